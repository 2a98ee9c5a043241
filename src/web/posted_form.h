// The body of a form that may carry files or long text (the upload and edit pages): either
// multipart/form-data, read here as it streams with its file parts spooled to disk, or a
// urlencoded form that web.cpp already read and checked.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "util/byte_source.h"
#include "util/unique_fd.h"
#include "web/page_call.h"

namespace wharf::web {

// A file part written to an unnamed file under the hub's tmp/ (unlinked at once, so that
// neither an error nor a crash leaves it behind).
struct SpooledFile {
  std::string filename;  // as the browser sent it
  uint64_t size = 0;
  std::string sha256;  // of the content, lowercase hex
  std::string sample;  // the first 512 bytes
  UniqueFd fd;

  // A reader of the content from its start. REQUIRES: one reader at a time.
  Result<std::unique_ptr<ByteSource>> open() const;
};

struct PostedForm {
  std::vector<std::pair<std::string, std::string>> fields;
  std::vector<SpooledFile> files;  // the non-empty file parts, in order

  std::string field(std::string_view key) const;
};

struct PostedFormLimits {
  uint64_t max_bytes;           // the whole body
  std::size_t max_field_bytes;  // each non-file field
  std::size_t max_files;        // each spooled file holds a descriptor until the commit
};

// The POSTed form of `c`. A multipart body must bring its "csrf" field, equal to the
// session's token, before any file part, so that nothing of a forged post reaches the disk.
// REQUIRES: c.who.session (anonymous callers are sent to log in first).
// Errors: 403 for a missing or wrong token, 400 for a malformed body, 413 over the limits,
// 415 for a body that is neither form type.
Result<PostedForm> read_posted_form(PageCall& c, const PostedFormLimits& limits);

}  // namespace wharf::web
