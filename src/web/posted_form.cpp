#include "web/posted_form.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstring>

#include "util/crypto.h"
#include "web/multipart.h"

namespace wharf::web {
namespace {

constexpr std::size_t kSampleBytes = 512;

Error refused_form() {
  return errors::forbidden(
      "This form was refused: its security token is missing or stale. Reload the page and try "
      "again.");
}

Error io_error(const char* what) {
  return errors::internal(std::string(what) + " failed: " + std::strerror(errno));
}

class FdSource : public ByteSource {
 public:
  explicit FdSource(int fd) : fd_(fd) {}
  Result<std::size_t> read(char* buf, std::size_t n) override {
    for (;;) {
      ssize_t r = ::pread(fd_, buf, n, static_cast<off_t>(offset_));
      if (r >= 0) {
        offset_ += static_cast<uint64_t>(r);
        return static_cast<std::size_t>(r);
      }
      if (errno != EINTR) return fail(io_error("reading an uploaded file"));
    }
  }

 private:
  int fd_;  // owned by the SpooledFile
  uint64_t offset_ = 0;
};

Result<UniqueFd> anonymous_temp_file(const std::string& dir) {
  std::string path = dir + "/web-upload-XXXXXX";
  int fd = ::mkostemp(path.data(), O_CLOEXEC);
  if (fd < 0) return fail(io_error("creating a temp file"));
  ::unlink(path.c_str());
  return UniqueFd(fd);
}

Result<void> write_all(int fd, const char* data, std::size_t n) {
  while (n > 0) {
    ssize_t w = ::write(fd, data, n);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) return fail(io_error("writing an uploaded file"));
    data += w;
    n -= static_cast<std::size_t>(w);
  }
  return {};
}

// Writes the current part to a temp file while hashing it.
Result<SpooledFile> spool(MultipartReader& reader, const std::string& tmp_dir,
                          std::string filename) {
  SpooledFile f{std::move(filename), 0, {}, {}, WHARF_TRY(anonymous_temp_file(tmp_dir))};
  Sha256 hash;
  std::string buf(256 << 10, '\0');
  while (auto n = WHARF_TRY(reader.read(buf.data(), buf.size()))) {
    hash.update(buf.data(), n);
    if (f.sample.size() < kSampleBytes)
      f.sample.append(buf.data(), std::min(n, kSampleBytes - f.sample.size()));
    WHARF_TRY_VOID(write_all(f.fd.get(), buf.data(), n));
    f.size += n;
  }
  f.sha256 = hash.hex_digest();
  return f;
}

Result<PostedForm> read_multipart(PageCall& c, std::string boundary,
                                  const PostedFormLimits& limits) {
  MultipartReader reader(c.req.body(), std::move(boundary), limits.max_bytes);
  PostedForm form;
  bool token_ok = false;
  while (auto part = WHARF_TRY(reader.next_part())) {
    if (!part->filename) {
      std::string value = WHARF_TRY(reader.read_all(limits.max_field_bytes));
      if (part->name == "csrf") token_ok = constant_time_equal(c.who.session->csrf, value);
      form.fields.emplace_back(std::move(part->name), std::move(value));
      continue;
    }
    if (!token_ok) return fail(refused_form());
    if (form.files.size() == limits.max_files)
      return fail(
          errors::bad_request("At most " + std::to_string(limits.max_files) +
                              " files per upload; send the others in another one, or use git"));
    auto file = WHARF_TRY(spool(reader, c.hub.tmp_dir(), std::move(*part->filename)));
    // An empty input sends a part without a name and content.
    if (!file.filename.empty() || file.size > 0) form.files.push_back(std::move(file));
  }
  if (!token_ok) return fail(refused_form());
  return form;
}

}  // namespace

Result<std::unique_ptr<ByteSource>> SpooledFile::open() const {
  return std::unique_ptr<ByteSource>(std::make_unique<FdSource>(fd.get()));
}

std::string PostedForm::field(std::string_view key) const {
  for (const auto& [k, v] : fields)
    if (k == key) return v;
  return "";
}

Result<PostedForm> read_posted_form(PageCall& c, const PostedFormLimits& limits) {
  auto type = c.req.headers.get("Content-Type").value_or("");
  if (type.starts_with("application/x-www-form-urlencoded")) return PostedForm{c.form.items(), {}};
  return read_multipart(c, WHARF_TRY(multipart_boundary(type)), limits);
}

}  // namespace wharf::web
