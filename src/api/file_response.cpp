#include "api/file_response.h"

#include <fcntl.h>
#include <unistd.h>

#include <charconv>

namespace wharf::api {
namespace {

std::optional<uint64_t> parse_u64(std::string_view s) {
  if (s.empty() || s.size() > 19) return std::nullopt;
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

bool etag_matches(const std::string& if_none_match, const std::string& etag) {
  if (if_none_match == "*") return true;
  std::string_view s = if_none_match;
  while (!s.empty()) {
    auto comma = s.find(',');
    std::string_view item = s.substr(0, comma);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (item.starts_with("W/")) item.remove_prefix(2);
    if (item.size() >= 2 && item.front() == '"' && item.back() == '"') item = item.substr(1, item.size() - 2);
    if (item == etag) return true;
    if (comma == std::string_view::npos) break;
    s.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace

Result<std::optional<ByteRange>> parse_range(const std::optional<std::string>& header, uint64_t size) {
  if (!header) return std::optional<ByteRange>();
  std::string_view h = *header;
  if (!h.starts_with("bytes=") || h.find(',') != std::string_view::npos) return std::optional<ByteRange>();
  h.remove_prefix(6);
  auto dash = h.find('-');
  if (dash == std::string_view::npos) return std::optional<ByteRange>();
  auto a = h.substr(0, dash), b = h.substr(dash + 1);
  if (a.empty()) {  // suffix: the last n bytes
    auto n = parse_u64(b);
    if (!n) return std::optional<ByteRange>();
    if (*n == 0 || size == 0) return fail(errors::range_not_satisfiable());
    uint64_t len = std::min(*n, size);
    return std::optional<ByteRange>(ByteRange{size - len, len});
  }
  auto first = parse_u64(a);
  if (!first) return std::optional<ByteRange>();
  std::optional<uint64_t> last;
  if (!b.empty()) {
    last = parse_u64(b);
    if (!last || *last < *first) return std::optional<ByteRange>();
  }
  if (*first >= size) return fail(errors::range_not_satisfiable());
  uint64_t end = last ? std::min(*last, size - 1) : size - 1;
  return std::optional<ByteRange>(ByteRange{*first, end - *first + 1});
}

Result<http::Response> file_response(const http::Request& req, FileContent content, const std::string& etag,
                                     const std::string& content_type) {
  http::Response res;
  uint64_t size = content.size();
  res.headers.set("ETag", "\"" + etag + "\"");
  res.headers.set("Accept-Ranges", "bytes");
  res.headers.set("Content-Type", content_type);
  if (auto inm = req.headers.get("If-None-Match"); inm && etag_matches(*inm, etag)) {
    res.status = 304;
    return res;
  }
  auto range = parse_range(req.headers.get("Range"), size);
  if (!range) {
    // Zero-length files cannot satisfy a range: answer 200 with the size in Content-Range,
    // which JS fileDownloadInfo needs (spec §7.2).
    if (size == 0) {
      res.headers.set("Content-Range", "bytes */0");
      return res;
    }
    Error e = std::move(range.error());
    e.headers.emplace_back("Content-Range", "bytes */" + std::to_string(size));
    e.headers.emplace_back("ETag", "\"" + etag + "\"");
    return fail(std::move(e));
  }
  uint64_t first = 0, length = size;
  if (*range) {
    first = (*range)->first;
    length = (*range)->length;
    res.status = 206;
    res.headers.set("Content-Range", "bytes " + std::to_string(first) + "-" + std::to_string(first + length - 1) +
                                         "/" + std::to_string(size));
  }
  res.head_length = length;
  if (content.blob) {
    int fd = ::fcntl(content.blob->fd(), F_DUPFD_CLOEXEC, 0);
    if (fd < 0) return fail(errors::internal("Cannot open the file"));
    res.file = http::FileSlice{UniqueFd(fd), first, length};
  } else {
    res.body = content.bytes.substr(first, length);
  }
  return res;
}

std::string guess_content_type(const std::string& path) {
  auto dot = path.rfind('.');
  std::string ext = dot == std::string::npos ? "" : path.substr(dot + 1);
  for (auto& ch : ext) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (ext == "json") return "application/json";
  if (ext == "md" || ext == "txt" || ext == "py" || ext == "yaml" || ext == "yml" || ext == "csv" ||
      ext == "gitattributes" || ext == "gitignore")
    return "text/plain; charset=utf-8";
  if (ext == "png") return "image/png";
  if (ext == "jpg" || ext == "jpeg") return "image/jpeg";
  if (ext == "gif") return "image/gif";
  return "application/octet-stream";
}

}  // namespace wharf::api
