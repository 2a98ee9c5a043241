#include "hub/push_rules.h"

#include <set>

#include "hub/commits.h"
#include "hub/lfs_pointer.h"
#include "hub/pull_requests.h"
#include "hub/refs.h"

namespace wharf::hub {
namespace {

constexpr std::string_view kZero = "0000000000000000000000000000000000000000";
constexpr uint64_t kBinaryLimit = 1ULL << 20;
constexpr std::size_t kMaxPushBlobs = 1000000;

const char* kLfsHint =
    "Use git-lfs for large and binary files (git lfs track \"*.bin\", then commit again); "
    "see https://git-lfs.github.com/";

bool is_zero(std::string_view sha) { return sha == kZero; }

Result<void> check_ref(Hub& hub, const storage::GitRepo& git, const storage::RepoRow& repo, const RefUpdate& u,
                       int64_t pusher_id, bool pusher_writes) {
  if (u.ref.starts_with("refs/pr/"))
    return check_pull_request_push(hub, repo, u.ref, u.old_sha, u.new_sha, pusher_id, pusher_writes);
  if (!pusher_writes)
    return fail(errors::bad_request("you may not push to " + u.ref + ": only the repository's writers move branches "
                                    "and tags. Open a pull request and push to its ref (refs/pr/<number>) instead"));
  if (u.ref.starts_with("refs/heads/")) {
    auto name = u.ref.substr(11);
    if (auto why = invalid_ref_name(name)) return fail(errors::bad_request("invalid branch name " + name + ": " + *why));
    if (is_zero(u.new_sha) && name == git.default_branch())
      return fail(errors::bad_request("the default branch " + name + " cannot be deleted"));
    return {};
  }
  if (u.ref.starts_with("refs/tags/")) {
    auto name = u.ref.substr(10);
    if (auto why = invalid_ref_name(name)) return fail(errors::bad_request("invalid tag name " + name + ": " + *why));
    return {};
  }
  return fail(errors::bad_request(u.ref + " is not a branch or a tag; only refs/heads/* and refs/tags/* can be pushed"));
}

Result<void> check_blob(Hub& hub, const storage::RepoRow& repo, const storage::NewBlob& b,
                        std::set<std::string>& lfs_oids) {
  if (b.size > kMaxRegularFileSize)
    return fail(errors::bad_request("your push was rejected because " + b.path + " is larger than 10 MiB. " + kLfsHint));
  if (b.size <= 1024) {
    if (auto p = LfsPointer::parse(b.head)) {
      auto stored = hub.blobs().size(p->oid);
      if (!stored || *stored != p->size || !WHARF_TRY(hub.db().repo_has_lfs(repo.id, p->oid)))
        return fail(errors::bad_request("your push was rejected because the LFS object of " + b.path + " (" + p->oid +
                                        ") was never uploaded; run `git lfs push --all origin` first"));
      lfs_oids.insert(p->oid);
    }
    return {};
  }
  if (b.size > kBinaryLimit && b.head.find('\0') != std::string::npos)
    return fail(errors::bad_request("your push was rejected because " + b.path + " is a binary file over 1 MiB. " +
                                    kLfsHint));
  return {};
}

}  // namespace

Result<std::vector<RefUpdate>> parse_ref_updates(std::string_view text) {
  std::vector<RefUpdate> out;
  while (!text.empty()) {
    auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (line.empty()) continue;
    auto a = line.find(' '), b = line.find(' ', a == std::string_view::npos ? a : a + 1);
    if (a != 40 || b != 81) return fail(errors::bad_request("malformed ref update line"));
    out.push_back({std::string(line.substr(0, 40)), std::string(line.substr(41, 40)), std::string(line.substr(82))});
  }
  return out;
}

Result<void> check_push(Hub& hub, storage::GitRepo& git, const storage::RepoRow& repo,
                        const std::vector<RefUpdate>& updates, int64_t pusher_id, bool pusher_writes) {
  std::vector<std::string> tips;
  for (const auto& u : updates) {
    WHARF_TRY_VOID(check_ref(hub, git, repo, u, pusher_id, pusher_writes));
    if (!is_zero(u.new_sha)) tips.push_back(u.new_sha);
  }
  std::vector<std::string> known;
  for (const auto& r : git.list_refs()) known.push_back(r.target);
  auto blobs = WHARF_TRY(git.new_blobs(tips, known, kMaxPushBlobs));
  std::set<std::string> lfs_oids;
  for (const auto& b : blobs) WHARF_TRY_VOID(check_blob(hub, repo, b, lfs_oids));
  for (const auto& oid : lfs_oids) WHARF_TRY_VOID(hub.db().mark_lfs_committed(repo.id, oid));
  return {};
}

}  // namespace wharf::hub
