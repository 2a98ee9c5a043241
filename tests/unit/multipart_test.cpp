// The streaming multipart/form-data reader of the web's upload forms.
#include "web/multipart.h"

#include <gtest/gtest.h>

#include <vector>

namespace wharf::web {
namespace {

// Hands out its bytes `step` at a time, so that delimiters and headers straddle reads.
class DripSource : public ByteSource {
 public:
  DripSource(std::string s, std::size_t step) : s_(std::move(s)), step_(step) {}
  Result<std::size_t> read(char* buf, std::size_t n) override {
    std::size_t k = std::min({n, step_, s_.size() - pos_});
    s_.copy(buf, k, pos_);
    pos_ += k;
    return k;
  }

 private:
  std::string s_;
  std::size_t step_;
  std::size_t pos_ = 0;
};

struct Part {
  MultipartPart head;
  std::string content;
};

// Every part of `body`, read `step` bytes at a time from the source and in 7-byte reads.
Result<std::vector<Part>> parts_of(const std::string& body, std::size_t step,
                                   uint64_t max = 1 << 30) {
  DripSource src(body, step);
  MultipartReader reader(src, "XyZ", max);
  std::vector<Part> out;
  while (auto head = WHARF_TRY(reader.next_part())) {
    Part p{std::move(*head), {}};
    char buf[7];
    while (auto n = WHARF_TRY(reader.read(buf, sizeof buf))) p.content.append(buf, n);
    out.push_back(std::move(p));
  }
  return out;
}

const char kTwoFilesText[] =
    "preamble to skip\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"csrf\"\r\n"
    "\r\n"
    "abc\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"files\"; filename=\"a \\\"quoted\\\" name.txt\"\r\n"
    "Content-Type: text/plain\r\n"
    "\r\n"
    "line one\r\nline two\r\n--XyQ not ours\r\n"
    "\r\n"
    "--XyZ\r\n"
    "content-disposition: form-data; filename=\"b%22c.bin\"; name=files\r\n"
    "\r\n"
    "\0\x01\x02\r\n-"
    "\r\n"
    "--XyZ--\r\n"
    "epilogue";
const std::string kTwoFiles(kTwoFilesText, sizeof kTwoFilesText - 1);  // it holds a NUL

TEST(Multipart, ReadsFieldsAndSeveralFilesAtAnyChunking) {
  for (std::size_t step : {1u, 2u, 5u, 64u, 100000u}) {
    auto parts = parts_of(kTwoFiles, step);
    ASSERT_TRUE(parts.has_value()) << step << ": " << parts.error().message;
    ASSERT_EQ(parts->size(), 3u) << step;
    EXPECT_EQ((*parts)[0].head.name, "csrf");
    EXPECT_FALSE((*parts)[0].head.filename.has_value());
    EXPECT_EQ((*parts)[0].content, "abc");
    EXPECT_EQ((*parts)[1].head.name, "files");
    EXPECT_EQ((*parts)[1].head.filename, "a \"quoted\" name.txt");
    EXPECT_EQ((*parts)[1].head.content_type, "text/plain");
    // A line that starts like the delimiter, up to its last character, is content.
    EXPECT_EQ((*parts)[1].content, "line one\r\nline two\r\n--XyQ not ours\r\n");
    EXPECT_EQ((*parts)[2].head.filename, "b\"c.bin");  // the browser's %22 for '"'
    EXPECT_EQ((*parts)[2].content, std::string("\0\x01\x02\r\n-", 6));
  }
}

TEST(Multipart, EmptyFilePartAndNoPreamble) {
  std::string body =
      "--XyZ\r\nContent-Disposition: form-data; name=\"files\"; filename=\"\"\r\n"
      "Content-Type: application/octet-stream\r\n\r\n\r\n--XyZ--";
  auto parts = parts_of(body, 3);
  ASSERT_TRUE(parts.has_value()) << parts.error().message;
  ASSERT_EQ(parts->size(), 1u);
  EXPECT_EQ((*parts)[0].head.filename, "");
  EXPECT_EQ((*parts)[0].content, "");
}

TEST(Multipart, SkipsUnreadContentOnNextPart) {
  DripSource src(kTwoFiles, 11);
  MultipartReader reader(src, "XyZ", 1 << 20);
  std::vector<std::string> names;
  for (;;) {
    auto head = reader.next_part();
    ASSERT_TRUE(head.has_value()) << head.error().message;
    if (!*head) break;
    names.push_back((*head)->name);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"csrf", "files", "files"}));
}

void expect_refused(const std::string& body, int status, const char* why) {
  auto parts = parts_of(body, 4, 1 << 20);
  ASSERT_FALSE(parts.has_value()) << why;
  EXPECT_EQ(parts.error().status, status) << why << ": " << parts.error().message;
}

TEST(Multipart, BadBodiesAreRefused) {
  const std::string part = "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue";
  expect_refused(part, 400, "truncated inside a part");
  expect_refused(part + "\r\n--XyZ", 400, "ends after a boundary");
  expect_refused("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n", 400,
                 "truncated headers");
  expect_refused("--XyZ\r\nContent-Type: text/plain\r\n\r\nx\r\n--XyZ--", 400,
                 "no Content-Disposition");
  expect_refused("--XyZ\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n--XyZ--", 400,
                 "not form-data");
  expect_refused("--XyZ\r\nContent-Disposition: form-data; filename=\"f\"\r\n\r\nx\r\n--XyZ--", 400,
                 "no name");
  expect_refused("--XyZ\r\nContent-Disposition: form-data; name=\"a\r\n\r\nx\r\n--XyZ--", 400,
                 "unterminated quote");
  expect_refused("--XyZ\r\nno colon here\r\n\r\nx\r\n--XyZ--", 400, "header without ':'");
  expect_refused("--XyZjunk\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--XyZ--", 400,
                 "characters after the boundary");
  expect_refused("no boundary at all", 400, "no delimiter");
  expect_refused("", 400, "empty body");
  expect_refused("--XyZ\r\n" + std::string(20000, 'h') + "\r\n\r\nx\r\n--XyZ--", 400,
                 "headers too long");
}

TEST(Multipart, BodyOverTheLimitIs413) {
  std::string body =
      "--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"big\"\r\n\r\n" +
      std::string(5000, 'x') + "\r\n--XyZ--\r\n";
  auto parts = parts_of(body, 512, 4096);
  ASSERT_FALSE(parts.has_value());
  EXPECT_EQ(parts.error().status, 413);
  EXPECT_TRUE(parts_of(body, 512, body.size()).has_value());
}

TEST(Multipart, ReadAllBoundsAField) {
  std::string body =
      "--XyZ\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\n0123456789\r\n--XyZ--";
  StringSource src(body);
  MultipartReader reader(src, "XyZ", 1 << 20);
  ASSERT_TRUE(reader.next_part().has_value());
  auto value = reader.read_all(9);
  ASSERT_FALSE(value.has_value());
  EXPECT_EQ(value.error().status, 413);
}

TEST(Multipart, BoundaryFromContentType) {
  EXPECT_EQ(*multipart_boundary("multipart/form-data; boundary=----WebKitFormBoundaryAbC"),
            "----WebKitFormBoundaryAbC");
  EXPECT_EQ(*multipart_boundary("Multipart/Form-Data; charset=utf-8; boundary=\"a b;c\""), "a b;c");
  EXPECT_EQ(multipart_boundary("application/x-www-form-urlencoded").error().status, 415);
  EXPECT_EQ(multipart_boundary("multipart/form-data").error().status, 400);
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=").error().status, 400);
  EXPECT_EQ(
      multipart_boundary("multipart/form-data; boundary=" + std::string(71, 'a')).error().status,
      400);
}

}  // namespace
}  // namespace wharf::web
