#include "hub/uploads.h"

#include "hub/lfs_pointer.h"
#include "hub/path_patterns.h"
#include "util/crypto.h"
#include "util/log.h"
#include "util/time.h"

namespace wharf::hub {
namespace {

constexpr uint64_t kLfsAlways = 10ULL << 20;
constexpr uint64_t kLfsIfBinary = 1ULL << 20;

bool looks_binary(const std::string& sample) { return sample.find('\0') != std::string::npos; }

Result<std::string> file_text_at(RepoHandle& repo, const std::string& commit, const std::string& path) {
  auto e = WHARF_TRY(repo.git.stat(commit, path));
  if (!e || e->type != storage::EntryType::File || e->size > (1u << 20)) return std::string();
  return repo.git.read_blob(e->oid);
}

}  // namespace

Result<std::vector<PreuploadDecision>> preupload(RepoHandle& repo, const std::string& commit,
                                                 const std::vector<PreuploadFile>& files,
                                                 const std::optional<std::string>& gitignore,
                                                 const std::optional<std::string>& gitattributes) {
  GitAttributes attrs(gitattributes ? *gitattributes : WHARF_TRY(file_text_at(repo, commit, ".gitattributes")));
  GitIgnore ignore(gitignore ? *gitignore : WHARF_TRY(file_text_at(repo, commit, ".gitignore")));
  std::vector<PreuploadDecision> out;
  out.reserve(files.size());
  for (const auto& f : files) {
    PreuploadDecision d;
    d.path = f.path;
    d.lfs = attrs.is_lfs(f.path) || f.size > kLfsAlways || (looks_binary(f.sample) && f.size > kLfsIfBinary);
    d.should_ignore = ignore.ignored(f.path);
    auto existing = WHARF_TRY(repo.git.stat(commit, f.path));
    if (existing && existing->type == storage::EntryType::File) {
      std::optional<LfsPointer> pointer;
      if (existing->size < 1024) {
        auto text = WHARF_TRY(repo.git.read_blob(existing->oid));
        pointer = LfsPointer::parse(text);
      }
      d.oid = pointer ? pointer->oid : existing->oid;
    }
    out.push_back(std::move(d));
  }
  return out;
}

Result<std::vector<LfsObjectAnswer>> lfs_batch(Hub& hub, RepoHandle& repo, LfsOperation op,
                                               const std::vector<std::pair<std::string, uint64_t>>& objects) {
  std::vector<LfsObjectAnswer> out;
  const auto& opt = hub.options();
  for (const auto& [oid, size] : objects) {
    LfsObjectAnswer a;
    a.oid = oid;
    a.size = size;
    // An object counts for this repo only once it was uploaded to it: knowing a sha256 must
    // not give access to another repo's object (the bytes are the proof of possession).
    auto stored = hub.blobs().size(oid);
    bool here = stored && WHARF_TRY(hub.db().repo_has_lfs(repo.row.id, oid));
    if (op == LfsOperation::Download) {
      if (here) {
        a.action = LfsObjectAnswer::Action::Download;
        a.size = *stored;
      } else {
        a.action = LfsObjectAnswer::Action::Error;
        a.error_code = 404;
        a.error_message = "Object does not exist";
      }
    } else if (here && *stored == size) {
      a.action = LfsObjectAnswer::Action::None;
    } else if (here) {
      a.action = LfsObjectAnswer::Action::Error;
      a.error_code = 422;
      a.error_message = "Object " + oid + " exists with another size";
    } else if (size >= opt.multipart_threshold && size > 0) {
      a.action = LfsObjectAnswer::Action::Multipart;
      a.chunk_size = opt.multipart_chunk_size;
      a.part_count = static_cast<int>((size + a.chunk_size - 1) / a.chunk_size);
      a.upload_id = random_alnum(32);
      WHARF_TRY_VOID(hub.db().insert_multipart({a.upload_id, repo.row.id, oid, static_cast<int64_t>(size),
                                                static_cast<int64_t>(a.chunk_size), now_ms()}));
    } else {
      a.action = LfsObjectAnswer::Action::Upload;
    }
    out.push_back(std::move(a));
  }
  return out;
}

std::string sign_transfer(const Hub& hub, const std::string& purpose, int64_t expires_s) {
  return hmac_sha256_hex(hub.secret(), purpose + "\n" + std::to_string(expires_s));
}

bool verify_transfer(const Hub& hub, const std::string& purpose, int64_t expires_s, const std::string& signature) {
  if (expires_s < now_ms() / 1000) return false;
  return constant_time_equal(sign_transfer(hub, purpose, expires_s), signature);
}

Result<void> lfs_receive(Hub& hub, int64_t repo_id, const std::string& oid, uint64_t size, ByteSource& body) {
  WHARF_TRY_VOID(hub.blobs().put(oid, size, body));
  return hub.db().record_lfs_upload(repo_id, oid, static_cast<int64_t>(size), now_ms());
}

Result<std::string> lfs_receive_part(Hub& hub, const std::string& upload_id, int part, ByteSource& body) {
  auto up = WHARF_TRY(hub.db().find_multipart(upload_id));
  if (!up) return fail(errors::not_found("No such multipart upload"));
  int parts = static_cast<int>((up->size + up->chunk_size - 1) / up->chunk_size);
  if (part < 1 || part > parts) return fail(errors::bad_request("Invalid part number"));
  uint64_t expected = part < parts ? static_cast<uint64_t>(up->chunk_size)
                                   : static_cast<uint64_t>(up->size - up->chunk_size * (parts - 1));
  auto stored = WHARF_TRY(hub.blobs().put_part(upload_id, part, expected, body));
  if (stored.size != expected)
    return fail(errors::bad_request("Part " + std::to_string(part) + " must be " + std::to_string(expected) + " bytes"));
  return stored.etag;
}

Result<void> lfs_complete(Hub& hub, const std::string& upload_id, const std::string& oid,
                          const std::vector<CompletedPart>& parts) {
  auto up = WHARF_TRY(hub.db().find_multipart(upload_id));
  if (!up) {
    // A retried completion of an upload that already finished.
    if (hub.blobs().exists(oid)) return {};
    return fail(errors::not_found("No such multipart upload"));
  }
  if (up->oid != oid) return fail(errors::bad_request("The oid does not match the upload"));
  int count = static_cast<int>((up->size + up->chunk_size - 1) / up->chunk_size);
  if (static_cast<int>(parts.size()) != count)
    return fail(errors::bad_request("Expected " + std::to_string(count) + " parts"));
  std::vector<storage::StoredPart> stored;
  for (int i = 0; i < count; ++i) {
    if (parts[i].number != i + 1) return fail(errors::bad_request("Parts must be listed in order from 1"));
    uint64_t size = i + 1 < count ? static_cast<uint64_t>(up->chunk_size)
                                  : static_cast<uint64_t>(up->size - up->chunk_size * (count - 1));
    stored.push_back({i + 1, parts[i].etag, size});
  }
  auto done = hub.blobs().complete_multipart(upload_id, oid, static_cast<uint64_t>(up->size), stored);
  WHARF_TRY_VOID(hub.db().delete_multipart(upload_id));
  if (!done) return fail(done.error());
  return hub.db().record_lfs_upload(up->repo_id, oid, up->size, now_ms());
}

std::size_t collect_lfs_garbage(Hub& hub) {
  int64_t grace = hub.options().lfs_grace_ms;
  hub.blobs().sweep_tmp(grace);
  auto orphans = hub.db().orphan_lfs_objects(now_ms() - grace);
  if (!orphans) {
    log::error("lfs gc: " + orphans.error().message);
    return 0;
  }
  for (const auto& oid : *orphans) {
    hub.blobs().remove(oid);
    if (auto r = hub.db().forget_lfs(oid); !r) log::error("lfs gc: " + r.error().message);
  }
  return orphans->size();
}

}  // namespace wharf::hub
