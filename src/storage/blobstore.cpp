#include "storage/blobstore.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "util/crypto.h"
#include "util/encoding.h"
#include "util/log.h"
#include "util/time.h"
#include "util/unique_fd.h"

namespace wharf::storage {
namespace {

constexpr std::size_t kChunkBytes = 1 << 20;
constexpr int kMaxPartNumber = 10000;
constexpr std::size_t kMaxUploadIdLength = 128;

std::string errno_text(int err) { return std::error_code(err, std::generic_category()).message(); }

Error io_error(std::string_view what, const std::string& path, int err = errno) {
  return errors::internal(std::string(what) + " " + path + ": " + errno_text(err));
}

bool valid_oid(std::string_view oid) { return is_lower_hex(oid, 64); }

// Upload ids become part of file names: only [A-Za-z0-9], so that none can leave tmp/.
bool valid_upload_id(std::string_view id) {
  if (id.empty() || id.size() > kMaxUploadIdLength) return false;
  for (char c : id) {
    bool alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum) return false;
  }
  return true;
}

std::string tmp_dir(const std::string& root) { return root + "/tmp"; }

std::string part_prefix(const std::string& upload_id) { return "mp-" + upload_id + "-"; }

std::string part_path(const std::string& root, const std::string& upload_id, int number) {
  return tmp_dir(root) + "/" + part_prefix(upload_id) + std::to_string(number);
}

Result<void> fsync_dir(const std::string& dir) {
  UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd) return fail(io_error("open", dir));
  if (::fsync(fd.get()) != 0) return fail(io_error("fsync", dir));
  return {};
}

// Creates `dir` if missing. A new directory's entry in its parent must survive a crash as
// much as the object that will be renamed into it, hence the fsync of the parent.
Result<void> ensure_dir(const std::string& dir, const std::string& parent) {
  if (::mkdir(dir.c_str(), 0755) == 0) return fsync_dir(parent);
  if (errno == EEXIST) return {};
  return fail(io_error("mkdir", dir));
}

// A file being written under tmp/. Unlinked on destruction unless renamed into place.
class TempFile {
 public:
  static Result<TempFile> create(const std::string& root) {
    // O_EXCL with a random name: two uploads never share a temp file.
    for (int attempt = 0; attempt < 4; ++attempt) {
      std::string path = tmp_dir(root) + "/up-" + random_alnum(24);
      int fd = ::open(path.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644);
      if (fd >= 0) return TempFile(UniqueFd(fd), std::move(path));
      if (errno != EEXIST) return fail(io_error("create", path));
    }
    return fail(errors::internal("cannot create a temp file in " + tmp_dir(root)));
  }
  TempFile(TempFile&& o) noexcept : fd_(std::move(o.fd_)), path_(std::exchange(o.path_, {})) {}
  TempFile& operator=(TempFile&&) = delete;
  ~TempFile() {
    if (!path_.empty() && ::unlink(path_.c_str()) != 0 && errno != ENOENT) {
      log::warn("cannot remove temp file " + path_ + ": " + errno_text(errno));
    }
  }

  Result<void> append(const char* data, std::size_t n) {
    while (n > 0) {
      ssize_t w = ::write(fd_.get(), data, n);
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) return fail(io_error("write", path_));
      data += w;
      n -= static_cast<std::size_t>(w);
    }
    return {};
  }

  Result<void> sync() {
    if (::fsync(fd_.get()) != 0) return fail(io_error("fsync", path_));
    return {};
  }

  // Replaces `dest` atomically. The temp file is then gone, so nothing is unlinked later.
  Result<void> rename_to(const std::string& dest) {
    fd_.reset();
    if (::rename(path_.c_str(), dest.c_str()) != 0)
      return fail(io_error("rename to " + dest, path_));
    path_.clear();
    return {};
  }

 private:
  TempFile(UniqueFd fd, std::string path) : fd_(std::move(fd)), path_(std::move(path)) {}
  UniqueFd fd_;
  std::string path_;
};

// A stored part read back for concatenation.
class FileSource : public ByteSource {
 public:
  FileSource(UniqueFd fd, std::string path) : fd_(std::move(fd)), path_(std::move(path)) {}
  Result<std::size_t> read(char* buf, std::size_t n) override {
    for (;;) {
      ssize_t r = ::read(fd_.get(), buf, n);
      if (r >= 0) return static_cast<std::size_t>(r);
      if (errno != EINTR) return fail(io_error("read", path_));
    }
  }

 private:
  UniqueFd fd_;
  std::string path_;
};

// Copies `src` into `out`, feeding every byte to `hash` (and `also`, when given). Stops
// at the end of the stream or at the first byte past `limit`: the result is then
// limit + 1, so that an oversized body is refused without being read to its end.
Result<uint64_t> pump(ByteSource& src, TempFile& out, uint64_t limit, std::vector<char>& buf,
                      Sha256& hash, Sha256* also = nullptr) {
  uint64_t count = 0;
  while (count <= limit) {
    uint64_t wanted = std::min<uint64_t>(buf.size(), limit - count + 1);
    std::size_t n = WHARF_TRY(src.read(buf.data(), static_cast<std::size_t>(wanted)));
    if (n == 0) break;
    count += n;
    if (count > limit) break;
    hash.update(buf.data(), n);
    if (also) also->update(buf.data(), n);
    WHARF_TRY_VOID(out.append(buf.data(), n));
  }
  return count;
}

Result<void> verify(const std::string& oid, uint64_t expected_size, uint64_t count, Sha256& hash) {
  if (count > expected_size) {
    return fail(errors::bad_request("Upload is larger than its declared size of " +
                                    std::to_string(expected_size) + " bytes"));
  }
  if (count != expected_size) {
    return fail(errors::bad_request("Upload has " + std::to_string(count) + " bytes, expected " +
                                    std::to_string(expected_size)));
  }
  std::string actual = hash.hex_digest();
  if (actual != oid) {
    return fail(errors::bad_request("Upload's sha256 is " + actual + ", expected " + oid));
  }
  return {};
}

// Moves verified bytes into place as `oid`: file data first, then the directory entries, so
// that after a crash the object is either whole or absent.
Result<void> keep(TempFile& tmp, const BlobStore& store, const std::string& oid) {
  if (store.exists(oid)) return {};  // same bytes, already durable; the temp is unlinked
  WHARF_TRY_VOID(tmp.sync());
  std::string lfs = store.root() + "/lfs";
  std::string outer = lfs + "/" + oid.substr(0, 2);
  std::string inner = outer + "/" + oid.substr(2, 2);
  WHARF_TRY_VOID(ensure_dir(outer, lfs));
  WHARF_TRY_VOID(ensure_dir(inner, outer));
  WHARF_TRY_VOID(tmp.rename_to(store.path_of(oid)));
  return fsync_dir(inner);
}

// Clients that speak S3 echo ETag headers with their quotes.
std::string_view unquote(std::string_view etag) {
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') {
    return etag.substr(1, etag.size() - 2);
  }
  return etag;
}

// Unlinks the regular files of tmp/ for which `pred(name, stat)` holds.
template <typename Pred>
void remove_tmp_files(const std::string& root, Pred pred) {
  std::error_code ec;
  for (std::filesystem::directory_iterator it(tmp_dir(root), ec), end; !ec && it != end;
       it.increment(ec)) {
    std::string path = it->path().string();
    struct stat st;
    if (::lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    if (!pred(it->path().filename().string(), st)) continue;
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
      log::warn("cannot remove " + path + ": " + errno_text(errno));
    }
  }
  if (ec) log::warn("cannot list " + tmp_dir(root) + ": " + ec.message());
}

}  // namespace

// --- BlobFile ---

BlobFile::~BlobFile() {
  if (fd_ >= 0) ::close(fd_);
}

Result<std::size_t> BlobFile::pread(char* buf, std::size_t n, uint64_t offset) const {
  for (;;) {
    ssize_t r = ::pread(fd_, buf, n, static_cast<off_t>(offset));
    if (r >= 0) return static_cast<std::size_t>(r);
    if (errno != EINTR) {
      return fail(errors::internal("read of an LFS object: " + errno_text(errno)));
    }
  }
}

// --- BlobStore ---

Result<BlobStore> BlobStore::open(const std::string& data_dir) {
  for (const char* sub : {"/lfs", "/tmp"}) {
    std::error_code ec;
    std::filesystem::create_directories(data_dir + sub, ec);
    if (ec) return fail(errors::internal("cannot create " + data_dir + sub + ": " + ec.message()));
  }
  BlobStore store;
  store.root_ = data_dir;
  return store;
}

std::string BlobStore::path_of(const std::string& oid) const {
  return root_ + "/lfs/" + oid.substr(0, 2) + "/" + oid.substr(2, 2) + "/" + oid;
}

bool BlobStore::exists(const std::string& oid) const { return size(oid).has_value(); }

std::optional<uint64_t> BlobStore::size(const std::string& oid) const {
  struct stat st;
  if (!valid_oid(oid) || ::stat(path_of(oid).c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    return std::nullopt;
  }
  return static_cast<uint64_t>(st.st_size);
}

Result<void> BlobStore::put(const std::string& oid, uint64_t expected_size, ByteSource& src) {
  if (!valid_oid(oid)) return fail(errors::bad_request("Invalid LFS oid: " + oid));
  auto tmp = WHARF_TRY(TempFile::create(root_));
  Sha256 hash;
  std::vector<char> buf(kChunkBytes);
  uint64_t count = WHARF_TRY(pump(src, tmp, expected_size, buf, hash));
  WHARF_TRY_VOID(verify(oid, expected_size, count, hash));
  return keep(tmp, *this, oid);
}

Result<StoredPart> BlobStore::put_part(const std::string& upload_id, int part_number,
                                       uint64_t max_size, ByteSource& src) {
  if (!valid_upload_id(upload_id)) return fail(errors::bad_request("Invalid upload id"));
  if (part_number < 1 || part_number > kMaxPartNumber) {
    return fail(errors::bad_request("Invalid part number " + std::to_string(part_number)));
  }
  auto tmp = WHARF_TRY(TempFile::create(root_));
  Sha256 hash;
  std::vector<char> buf(kChunkBytes);
  uint64_t count = WHARF_TRY(pump(src, tmp, max_size, buf, hash));
  if (count > max_size) {
    return fail(errors::bad_request("Part " + std::to_string(part_number) + " is larger than " +
                                    std::to_string(max_size) + " bytes"));
  }
  // Not fsynced: complete_multipart re-hashes every part against its etag, so a part torn
  // by a crash is refused there, never kept.
  WHARF_TRY_VOID(tmp.rename_to(part_path(root_, upload_id, part_number)));
  return StoredPart{part_number, hash.hex_digest(), count};
}

Result<void> BlobStore::complete_multipart(const std::string& upload_id, const std::string& oid,
                                           uint64_t expected_size,
                                           const std::vector<StoredPart>& parts) {
  if (!valid_upload_id(upload_id)) return fail(errors::bad_request("Invalid upload id"));
  struct RemoveParts {
    BlobStore& store;
    const std::string& id;
    ~RemoveParts() { store.abort_multipart(id); }
  } remove_parts{*this, upload_id};
  if (!valid_oid(oid)) return fail(errors::bad_request("Invalid LFS oid: " + oid));

  auto tmp = WHARF_TRY(TempFile::create(root_));
  Sha256 hash;
  std::vector<char> buf(kChunkBytes);
  uint64_t count = 0;
  int previous = 0;
  for (const StoredPart& part : parts) {
    std::string n = std::to_string(part.number);
    if (part.number <= previous) return fail(errors::bad_request("Parts must be in order"));
    previous = part.number;
    std::string path = part_path(root_, upload_id, part.number);
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd && errno == ENOENT) return fail(errors::bad_request("Part " + n + " was not uploaded"));
    if (!fd) return fail(io_error("open", path));
    FileSource src(std::move(fd), path);
    Sha256 part_hash;
    uint64_t got = WHARF_TRY(pump(src, tmp, expected_size - count, buf, hash, &part_hash));
    count += got;
    if (count > expected_size) break;  // verify() reports it
    if (part_hash.hex_digest() != unquote(part.etag)) {
      return fail(errors::bad_request("Part " + n + " does not match its etag"));
    }
    if (part.size != 0 && got != part.size) {
      return fail(errors::bad_request("Part " + n + " has " + std::to_string(got) +
                                      " bytes, expected " + std::to_string(part.size)));
    }
  }
  WHARF_TRY_VOID(verify(oid, expected_size, count, hash));
  return keep(tmp, *this, oid);
}

void BlobStore::abort_multipart(const std::string& upload_id) {
  if (!valid_upload_id(upload_id)) return;
  // The id cannot contain '-', so this prefix never matches another upload's parts.
  std::string prefix = part_prefix(upload_id);
  remove_tmp_files(
      root_, [&](const std::string& name, const struct stat&) { return name.starts_with(prefix); });
}

Result<BlobFile> BlobStore::open_blob(const std::string& oid) const {
  if (!valid_oid(oid)) return fail(errors::not_found("LFS object not found"));
  std::string path = path_of(oid);
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd && errno == ENOENT) return fail(errors::not_found("LFS object " + oid + " not found"));
  if (!fd) return fail(io_error("open", path));
  struct stat st;
  if (::fstat(fd.get(), &st) != 0) return fail(io_error("stat", path));
  return BlobFile(fd.release(), static_cast<uint64_t>(st.st_size));
}

void BlobStore::remove(const std::string& oid) {
  if (!valid_oid(oid)) return;
  std::string path = path_of(oid);
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    log::error("cannot remove LFS object " + path + ": " + errno_text(errno));
  }
}

void BlobStore::sweep_tmp(int64_t max_age_ms) {
  int64_t cutoff = now_ms() - max_age_ms;
  remove_tmp_files(root_, [&](const std::string&, const struct stat& st) {
    int64_t mtime_ms =
        static_cast<int64_t>(st.st_mtim.tv_sec) * 1000 + st.st_mtim.tv_nsec / 1000000;
    return mtime_ms < cutoff;
  });
}

}  // namespace wharf::storage
