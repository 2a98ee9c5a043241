// Content-addressed LFS objects (ARCHITECTURE decision 2): <root>/lfs/<aa>/<bb>/<sha256>.
// Bytes are streamed into <root>/tmp while hashed, fsynced, and renamed into place only when
// the sha256 and the size match. Safe to use from many threads at once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "util/byte_source.h"
#include "util/error.h"

namespace wharf::storage {

// An open, read-only stored object. RAII over a file descriptor.
class BlobFile {
 public:
  BlobFile(int fd, uint64_t size) : fd_(fd), size_(size) {}
  BlobFile(BlobFile&& o) noexcept : fd_(o.fd_), size_(o.size_) { o.fd_ = -1; }
  BlobFile& operator=(BlobFile&&) = delete;
  ~BlobFile();
  int fd() const { return fd_; }
  uint64_t size() const { return size_; }
  // Reads up to n bytes at `offset`; 0 at end of file.
  Result<std::size_t> pread(char* buf, std::size_t n, uint64_t offset) const;

 private:
  int fd_;
  uint64_t size_;
};

struct StoredPart {
  int number = 0;         // 1-based
  std::string etag;       // sha256 hex of the part's bytes
  uint64_t size = 0;
};

class BlobStore {
 public:
  // `data_dir` is the wharf data dir; lfs/ and tmp/ are created below it.
  static Result<BlobStore> open(const std::string& data_dir);

  bool exists(const std::string& oid) const;
  std::optional<uint64_t> size(const std::string& oid) const;
  std::string path_of(const std::string& oid) const;

  // Streams `src` to a temp file while hashing; keeps it as `oid` only when the sha256 of
  // the bytes is `oid` and their count is `expected_size`. An object that already exists
  // is left untouched (the bytes are still read and checked).
  // Errors: BadRequest on a hash or size mismatch (nothing is kept), the source's error
  // (e.g. a client that disconnected; nothing is kept), 500 on I/O errors.
  // REQUIRES: oid is 64 lowercase hex.
  Result<void> put(const std::string& oid, uint64_t expected_size, ByteSource& src);

  // Multipart uploads: parts of upload `upload_id` are kept under tmp/ until completed.
  // put_part streams one part (at most `max_size` bytes) and returns its etag.
  Result<StoredPart> put_part(const std::string& upload_id, int part_number, uint64_t max_size,
                              ByteSource& src);
  // Concatenates the parts in order while hashing and keeps the result as `oid` when the
  // hash and size match (as put). The parts are removed either way.
  // Errors: BadRequest for a missing part, an etag that does not match, or a mismatch.
  Result<void> complete_multipart(const std::string& upload_id, const std::string& oid,
                                  uint64_t expected_size, const std::vector<StoredPart>& parts);
  void abort_multipart(const std::string& upload_id);

  Result<BlobFile> open_blob(const std::string& oid) const;
  // Removes a stored object (garbage collection of never-committed uploads).
  void remove(const std::string& oid);

  // Removes temp files older than `max_age_ms` (left by a crash or an abandoned upload).
  void sweep_tmp(int64_t max_age_ms);

  const std::string& root() const { return root_; }

 private:
  std::string root_;  // data dir
};

}  // namespace wharf::storage
