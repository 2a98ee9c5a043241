// The code tables' rows: every byte of content escaped, lines numbered, diff lines classed; and
// the test for content shown as text.
#include "web/code_html.h"

#include <gtest/gtest.h>

#include "web/file_view.h"

namespace wharf::web {
namespace {

TEST(CodeHtml, EscapesMarkupQuotesAndAmpersands) {
  EXPECT_EQ(escape_html(R"(<script>alert("x" + 'y')</script> & more)"),
            "&lt;script&gt;alert(&quot;x&quot; + &#39;y&#39;)&lt;/script&gt; &amp; more");
}

TEST(CodeHtml, NumbersLinesAndAFinalNewlineEndsTheLast) {
  std::size_t count = 0;
  EXPECT_EQ(
      numbered_lines_html("a<b\r\n\nc\n", count),
      "<tr id=\"L1\"><td class=\"ln\"><a href=\"#L1\">1</a></td><td "
      "class=\"text\">a&lt;b</td></tr>\n"
      "<tr id=\"L2\"><td class=\"ln\"><a href=\"#L2\">2</a></td><td class=\"text\"></td></tr>\n"
      "<tr id=\"L3\"><td class=\"ln\"><a href=\"#L3\">3</a></td><td class=\"text\">c</td></tr>\n");
  EXPECT_EQ(count, 3u);
  EXPECT_EQ(numbered_lines_html("", count), "");
  EXPECT_EQ(count, 0u);
  numbered_lines_html("no newline", count);
  EXPECT_EQ(count, 1u);
}

TEST(CodeHtml, DiffRowsCarryNumbersSignsAndClasses) {
  storage::FileDiff f;
  f.hunks.push_back({"@@ -1 +1,2 @@ <ctx>",
                     {{'-', 1, 0, "<old>"},
                      {'+', 0, 1, "new"},
                      {' ', 2, 2, "same"},
                      {'\\', 0, 0, "No newline at end of file"}}});
  EXPECT_EQ(diff_hunks_html(f),
            "<tbody>\n"
            "<tr class=\"hunk\"><td class=\"ln\"></td><td class=\"ln\"></td><td class=\"text\">@@ "
            "-1 +1,2 @@ &lt;ctx&gt;</td></tr>\n"
            "<tr class=\"del\"><td class=\"ln\">1</td><td class=\"ln\"></td><td "
            "class=\"text\">-&lt;old&gt;</td></tr>\n"
            "<tr class=\"add\"><td class=\"ln\"></td><td class=\"ln\">1</td><td "
            "class=\"text\">+new</td></tr>\n"
            "<tr class=\"ctx\"><td class=\"ln\">2</td><td class=\"ln\">2</td><td class=\"text\"> "
            "same</td></tr>\n"
            "<tr class=\"eof\"><td class=\"ln\"></td><td class=\"ln\"></td><td class=\"text\">No "
            "newline at end of file</td></tr>\n"
            "</tbody>\n");
}

TEST(CodeHtml, TextIsUtf8WithoutNulBytes) {
  EXPECT_TRUE(is_text("plain\nnaïve файл\n"));
  EXPECT_TRUE(is_text(""));
  EXPECT_FALSE(is_text(std::string("a\0b", 3)));
  EXPECT_FALSE(is_text("latin-1 caf\xe9"));
  EXPECT_FALSE(is_text("\xc0\xaf"));  // overlong
}

}  // namespace
}  // namespace wharf::web
