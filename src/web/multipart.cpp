#include "web/multipart.h"

#include <strings.h>

#include <algorithm>
#include <cstring>

namespace wharf::web {
namespace {

constexpr std::size_t kChunk = 64 << 10;
constexpr std::size_t kMaxHeaderBytes = 16 << 10;

Error malformed(std::string why) {
  return errors::bad_request("Malformed multipart/form-data body: " + why);
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The parameters after a header's first value: `; name="quoted \" value"; other=token`.
// Returns false for an unterminated quoted string.
bool parse_params(std::string_view s, std::vector<std::pair<std::string, std::string>>& out) {
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ';' || s[i] == ' ' || s[i] == '\t')) ++i;
    std::size_t key_start = i;
    while (i < s.size() && s[i] != '=' && s[i] != ';') ++i;
    std::string key(trim(s.substr(key_start, i - key_start)));
    std::string value;
    if (i < s.size() && s[i] == '=') {
      ++i;
      while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
      if (i < s.size() && s[i] == '"') {
        ++i;
        bool closed = false;
        while (i < s.size()) {
          char ch = s[i++];
          if (ch == '"') {
            closed = true;
            break;
          }
          if (ch == '\\' && i < s.size()) ch = s[i++];
          value += ch;
        }
        if (!closed) return false;
      } else {
        std::size_t v = i;
        while (i < s.size() && s[i] != ';') ++i;
        value = std::string(trim(s.substr(v, i - v)));
      }
    }
    if (!key.empty()) out.emplace_back(std::move(key), std::move(value));
  }
  return true;
}

// Browsers escape '"', CR and LF in names as %22, %0D and %0A (HTML's form encoding); any
// other '%' is literal.
std::string html_unescape(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto rest = s.substr(i);
    if (rest.size() >= 3 && rest[0] == '%') {
      auto code = rest.substr(1, 2);
      char ch = iequals(code, "22")   ? '"'
                : iequals(code, "0D") ? '\r'
                : iequals(code, "0A") ? '\n'
                                      : 0;
      if (ch) {
        out += ch;
        i += 2;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

Result<void> parse_disposition(std::string_view value, MultipartPart& part) {
  auto semi = value.find(';');
  if (!iequals(trim(value.substr(0, semi)), "form-data"))
    return fail(malformed("a part is not form-data"));
  std::vector<std::pair<std::string, std::string>> params;
  if (semi != std::string_view::npos && !parse_params(value.substr(semi + 1), params))
    return fail(malformed("unterminated quoted string in Content-Disposition"));
  bool named = false;
  for (auto& [key, v] : params) {
    if (iequals(key, "name")) {
      part.name = html_unescape(v);
      named = true;
    } else if (iequals(key, "filename")) {
      part.filename = html_unescape(v);
    }
  }
  if (!named) return fail(malformed("a part has no name"));
  return {};
}

}  // namespace

Result<std::string> multipart_boundary(std::string_view content_type) {
  auto semi = content_type.find(';');
  if (!iequals(trim(content_type.substr(0, semi)), "multipart/form-data"))
    return fail(
        Error{415, "UnsupportedMediaType", "This form is sent as multipart/form-data", {}, {}});
  std::vector<std::pair<std::string, std::string>> params;
  if (semi != std::string_view::npos && !parse_params(content_type.substr(semi + 1), params))
    return fail(malformed("unterminated quoted string in Content-Type"));
  for (auto& [key, value] : params)
    if (iequals(key, "boundary")) {
      if (value.empty() || value.size() > 70)
        return fail(malformed("the boundary must have 1 to 70 characters"));
      return value;
    }
  return fail(malformed("the Content-Type has no boundary"));
}

MultipartReader::MultipartReader(ByteSource& body, std::string boundary, uint64_t max_bytes)
    // The CRLF in front lets the first delimiter, at the very start, match like the others.
    : body_(body), delimiter_("\r\n--" + boundary), max_bytes_(max_bytes), buf_("\r\n") {}

Result<bool> MultipartReader::fill() {
  if (eof_) return false;
  if (pos_ > 0) {
    buf_.erase(0, pos_);
    pos_ = 0;
  }
  std::size_t old = buf_.size();
  buf_.resize(old + kChunk);
  auto n = body_.read(buf_.data() + old, kChunk);
  if (!n) {
    buf_.resize(old);
    return fail(std::move(n.error()));
  }
  buf_.resize(old + *n);
  consumed_ += *n;
  if (consumed_ > max_bytes_)
    return fail(errors::payload_too_large("The upload is larger than the limit of " +
                                          std::to_string(max_bytes_) + " bytes"));
  if (*n == 0) eof_ = true;
  return *n > 0;
}

Result<std::size_t> MultipartReader::read(char* out, std::size_t n) {
  if (!in_part_ || n == 0) return std::size_t{0};
  for (;;) {
    std::size_t at = buf_.find(delimiter_, pos_);
    if (at == pos_) {
      pos_ += delimiter_.size();
      in_part_ = false;
      return std::size_t{0};
    }
    std::size_t avail = buf_.size() - pos_;
    // Bytes before a delimiter, or that no delimiter starting later could include.
    std::size_t safe = at != std::string::npos
                           ? at - pos_
                           : (avail >= delimiter_.size() ? avail - (delimiter_.size() - 1) : 0);
    if (safe > 0 && (at != std::string::npos || safe >= std::min(n, kChunk / 2) || eof_)) {
      std::size_t k = std::min(n, safe);
      std::memcpy(out, buf_.data() + pos_, k);
      pos_ += k;
      return k;
    }
    if (!WHARF_TRY(fill()) && safe == 0) return fail(malformed("the body ends inside a part"));
  }
}

Result<std::string> MultipartReader::read_all(std::size_t limit) {
  std::string out;
  char chunk[16 << 10];
  while (auto n = WHARF_TRY(read(chunk, sizeof chunk))) {
    if (out.size() + n > limit)
      return fail(errors::payload_too_large("A form field is larger than " + std::to_string(limit) +
                                            " bytes"));
    out.append(chunk, n);
  }
  return out;
}

Result<std::optional<MultipartPart>> MultipartReader::next_part() {
  if (done_) return std::optional<MultipartPart>();
  char scratch[16 << 10];
  while (in_part_) WHARF_TRY(read(scratch, sizeof scratch));
  // After a delimiter: "--" closes the body; else optional padding, then CRLF and headers.
  while (buf_.size() - pos_ < 2)
    if (!WHARF_TRY(fill())) return fail(malformed("the body ends after a boundary"));
  if (buf_.compare(pos_, 2, "--") == 0) {
    done_ = true;  // the epilogue, if any, is ignored
    return std::optional<MultipartPart>();
  }
  for (;;) {
    if (pos_ == buf_.size() && !WHARF_TRY(fill()))
      return fail(malformed("the body ends after a boundary"));
    if (buf_[pos_] != ' ' && buf_[pos_] != '\t') break;
    ++pos_;
  }
  auto part = WHARF_TRY(read_headers());
  in_part_ = true;
  return std::optional<MultipartPart>(std::move(part));
}

Result<MultipartPart> MultipartReader::read_headers() {
  // The CRLF that ends the delimiter line is the first "line end" of the header block.
  std::size_t end;
  while ((end = buf_.find("\r\n\r\n", pos_)) == std::string::npos) {
    if (buf_.size() - pos_ > kMaxHeaderBytes)
      return fail(malformed("a part's headers are too long"));
    if (!WHARF_TRY(fill())) return fail(malformed("the body ends inside a part's headers"));
  }
  if (buf_.compare(pos_, 2, "\r\n") != 0)
    return fail(malformed("a boundary line has extra characters"));
  std::string_view block =
      end == pos_ ? std::string_view() : std::string_view(buf_).substr(pos_ + 2, end - pos_ - 2);
  MultipartPart part;
  bool disposed = false;
  while (!block.empty()) {
    auto eol = block.find("\r\n");
    auto line = block.substr(0, eol);
    block = eol == std::string_view::npos ? std::string_view() : block.substr(eol + 2);
    auto colon = line.find(':');
    if (colon == std::string_view::npos) return fail(malformed("a part's header line has no ':'"));
    auto name = trim(line.substr(0, colon));
    auto value = trim(line.substr(colon + 1));
    if (iequals(name, "Content-Disposition")) {
      WHARF_TRY_VOID(parse_disposition(value, part));
      disposed = true;
    } else if (iequals(name, "Content-Type")) {
      part.content_type = std::string(value);
    }
  }
  if (!disposed) return fail(malformed("a part has no Content-Disposition"));
  pos_ = end + 4;
  return part;
}

}  // namespace wharf::web
