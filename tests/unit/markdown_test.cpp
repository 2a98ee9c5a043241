// util/markdown: GitHub-flavored Markdown rendered by cmark-gfm, made safe, relative URLs
// pointed into the repo.
#include "util/markdown.h"

#include <gtest/gtest.h>

namespace wharf {
namespace {

bool has(const std::string& html, std::string_view part) { return html.find(part) != std::string::npos; }

TEST(Markdown, RendersGithubFlavoredMarkdown) {
  auto html = render_markdown("# Title\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ www.example.org\n\n- [x] done\n\n```python\nprint(1)\n```\n");
  EXPECT_TRUE(has(html, "<h1>Title</h1>"));
  EXPECT_TRUE(has(html, "<table>"));
  EXPECT_TRUE(has(html, "<td>1</td>"));
  EXPECT_TRUE(has(html, "<del>old</del>"));
  EXPECT_TRUE(has(html, "<a href=\"http://www.example.org\">"));
  EXPECT_TRUE(has(html, "type=\"checkbox\" checked=\"\" disabled=\"\" aria-label=\"Done\""));
  EXPECT_TRUE(has(html, "<pre lang=\"python\"><code>print(1)"));
}

TEST(Markdown, DropsRawHtmlAndScripts) {
  auto html = render_markdown(
      "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\ntext <b onmouseover=\"x()\">bold</b>\n\n"
      "<iframe src=\"https://evil\"></iframe>\n<style>body{}</style>\n");
  EXPECT_FALSE(has(html, "<script"));
  EXPECT_FALSE(has(html, "onerror"));
  EXPECT_FALSE(has(html, "onmouseover"));
  EXPECT_FALSE(has(html, "<iframe"));
  EXPECT_FALSE(has(html, "<style"));
  EXPECT_FALSE(has(html, "<img src=x"));
}

TEST(Markdown, BlanksDangerousUrls) {
  auto html = render_markdown(
      "[a](javascript:alert(1)) [b](JAVASCRIPT:alert(1)) [c](vbscript:x) [d](data:text/html,<script>x</script>) "
      "![e](javascript:alert(1)) [f](java&#09;script:alert(1)) <javascript:alert(1)>\n");
  // The autolink's text may still read "javascript:..."; no URL attribute may hold it.
  EXPECT_FALSE(has(html, "href=\"javascript:"));
  EXPECT_FALSE(has(html, "href=\"JAVASCRIPT:"));
  EXPECT_FALSE(has(html, "src=\"javascript:"));
  EXPECT_FALSE(has(html, "href=\"vbscript:"));
  EXPECT_FALSE(has(html, "href=\"data:text/html"));
  // A tab inside the scheme stays percent-encoded, which browsers read as a relative path.
  EXPECT_TRUE(has(html, "href=\"java%09script:"));
}

TEST(Markdown, EscapesTextAndAttributes) {
  auto html = render_markdown("a < b & \"c\" [x](https://e.org/?a=\"><script>) ![alt\"onerror=\"x](p.png)\n");
  EXPECT_TRUE(has(html, "a &lt; b &amp; &quot;c&quot;"));
  EXPECT_FALSE(has(html, "\"><script>"));
  EXPECT_FALSE(has(html, "\"onerror=\""));
}

TEST(Markdown, PointsRelativeUrlsIntoTheRepo) {
  MarkdownLinks links{"/ns/m/blob/main/", "/ns/m/resolve/main/"};
  auto html = render_markdown(
      "![logo](images/logo.png) ![dot](./a.png) [doc](docs/usage.md) [abs](https://example.org/x) "
      "[root](/other/repo) [frag](#usage) ![remote](https://example.org/i.png)\n",
      links);
  EXPECT_TRUE(has(html, "src=\"/ns/m/resolve/main/images/logo.png\""));
  EXPECT_TRUE(has(html, "src=\"/ns/m/resolve/main/a.png\""));
  EXPECT_TRUE(has(html, "href=\"/ns/m/blob/main/docs/usage.md\""));
  EXPECT_TRUE(has(html, "href=\"https://example.org/x\""));
  EXPECT_TRUE(has(html, "href=\"/other/repo\""));
  EXPECT_TRUE(has(html, "href=\"#usage\""));
  EXPECT_TRUE(has(html, "src=\"https://example.org/i.png\""));
}

TEST(Markdown, ShiftsHeadingsAndNamesOpenTasks) {
  auto html = render_markdown("# One\n\n###### Six\n\n- [ ] todo\n", MarkdownLinks{}, 1);
  EXPECT_TRUE(has(html, "<h2>One</h2>"));
  EXPECT_TRUE(has(html, "<h6>Six</h6>"));
  EXPECT_TRUE(has(html, "aria-label=\"Not done\""));
}

TEST(Markdown, TellsRelativeFromAbsoluteUrls) {
  EXPECT_TRUE(is_document_relative("a.png"));
  EXPECT_TRUE(is_document_relative("docs/a:b.md"));
  EXPECT_FALSE(is_document_relative("mailto:x@y"));
  EXPECT_FALSE(is_document_relative("/x"));
  EXPECT_FALSE(is_document_relative("//host/x"));
  EXPECT_FALSE(is_document_relative("#x"));
  EXPECT_FALSE(is_document_relative(""));
}

TEST(Markdown, SurvivesHostileInput) {
  std::string deep(100000, '>');
  deep += " x\n";
  std::string brackets(50000, '[');
  std::string stars(50000, '*');
  for (const auto& doc : {deep, brackets, stars, std::string("\xff\xfe\x00" "bad", 6)}) {
    auto html = render_markdown(doc);
    EXPECT_FALSE(has(html, "<script"));
  }
}

}  // namespace
}  // namespace wharf
