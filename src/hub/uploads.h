// The upload side of spec §10: preupload decisions and LFS object transfers.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "hub/repos.h"
#include "util/byte_source.h"

namespace wharf::hub {

struct PreuploadFile {
  std::string path;
  uint64_t size = 0;
  std::string sample;  // decoded first bytes (<= 512)
};

struct PreuploadDecision {
  std::string path;
  bool lfs = false;
  bool should_ignore = false;
  std::optional<std::string> oid;  // the file's current id at the revision, if it exists
};

// Decides per file: LFS when .gitattributes (the override, else the repo's at `commit`)
// tracks it, when it exceeds 10 MiB, or when its sample is binary and it exceeds 1 MiB;
// ignored when .gitignore (the override, else the repo's) matches.
Result<std::vector<PreuploadDecision>> preupload(RepoHandle& repo, const std::string& commit,
                                                 const std::vector<PreuploadFile>& files,
                                                 const std::optional<std::string>& gitignore,
                                                 const std::optional<std::string>& gitattributes);

enum class LfsOperation { Upload, Download };

struct LfsObjectAnswer {
  std::string oid;
  uint64_t size = 0;
  enum class Action { None, Upload, Multipart, Download, Error } action = Action::None;
  int error_code = 0;
  std::string error_message;
  uint64_t chunk_size = 0;   // multipart
  int part_count = 0;        // multipart
  std::string upload_id;     // multipart
};

// Answers one LFS batch. Upload: objects already uploaded to this repo need no action;
// others get Upload or, at or above the multipart threshold, Multipart (an object stored
// for another repo is uploaded again: the store keeps one copy, but the bytes prove that the
// client has them). Download: objects of this repo get Download; others an error 404.
// REQUIRES: the caller checked write (upload) or read (download) access.
Result<std::vector<LfsObjectAnswer>> lfs_batch(Hub& hub, RepoHandle& repo, LfsOperation op,
                                               const std::vector<std::pair<std::string, uint64_t>>& objects);

// Self-authenticating transfer URLs carry a signature of their purpose and expiry.
std::string sign_transfer(const Hub& hub, const std::string& purpose, int64_t expires_s);
bool verify_transfer(const Hub& hub, const std::string& purpose, int64_t expires_s,
                     const std::string& signature);

// Stores the bytes of an LFS upload for `repo_id` (basic transfer).
Result<void> lfs_receive(Hub& hub, int64_t repo_id, const std::string& oid, uint64_t size, ByteSource& body);
// Stores one part of a multipart upload; returns its ETag.
Result<std::string> lfs_receive_part(Hub& hub, const std::string& upload_id, int part, ByteSource& body);
struct CompletedPart {
  int number = 0;
  std::string etag;
};
// Assembles a multipart upload; the object is stored when its hash and size match.
Result<void> lfs_complete(Hub& hub, const std::string& upload_id, const std::string& oid,
                          const std::vector<CompletedPart>& parts);

// Removes LFS objects uploaded but never committed within the grace period, and stale temp
// files. Returns how many objects were removed.
std::size_t collect_lfs_garbage(Hub& hub);

}  // namespace wharf::hub
