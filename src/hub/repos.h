// Repository lifecycle: find with access, create, delete, move, settings.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "hub/access.h"

namespace wharf::hub {

// An opened repository: its row (canonical spelling) and its git handle, which goes back
// to the hub's pool when the handle goes away.
struct RepoHandle {
  RepoHandle(storage::RepoRow r, RepoId i, storage::GitRepo g, Hub* pool)
      : row(std::move(r)), id(std::move(i)), git(std::move(g)), pool_(pool) {}
  RepoHandle(RepoHandle&&) noexcept = default;
  RepoHandle& operator=(RepoHandle&&) = delete;
  ~RepoHandle() {
    if (pool_) pool_->give_git(std::move(git));
  }

  storage::RepoRow row;
  RepoId id;
  storage::GitRepo git;

 private:
  Hub* pool_ = nullptr;
};

// The RepoId of a row (canonical spelling).
RepoId id_of(const storage::RepoRow& row);

// Finds `id` (case-insensitively) and checks `access` for `who`.
// Errors: RepoNotFound; "RepoMoved" 307 whose message is the new "ns/name" when the repo was
// renamed and the caller may see it under its new name.
Result<RepoHandle> open_repo(Hub& hub, const Identity& who, const RepoId& id, Access access);

// Finds `id` without an access check, for requests that a signed transfer URL authorizes.
Result<RepoHandle> open_repo_for_transfer(Hub& hub, const RepoId& id);

struct CreateRepoParams {
  RepoId id;
  bool is_private = false;
  std::string sdk;       // spaces
  std::string license;   // becomes README.md front matter when set
  std::vector<std::pair<std::string, std::string>> files;  // initial files: path, content
};

// Creates the bare repo with its initial commit (".gitattributes" by "system", then any
// initial files) and its row. Errors: 409 with `url`-less message when it exists (the api
// adds the url), 400 for invalid names or files, 401/403 per check_namespace_write.
Result<storage::RepoRow> create_repo(Hub& hub, const Identity& who, const CreateRepoParams& params);

// Deletes the repo (row first, then the directory). Errors: RepoNotFound, 403.
Result<void> delete_repo(Hub& hub, const Identity& who, const RepoId& id);

// Renames `from` to `to` (same type); the old name then redirects. Errors: RepoNotFound, 403,
// 409 when `to` exists, 400 for an invalid target.
Result<void> move_repo(Hub& hub, const Identity& who, const RepoId& from, const RepoId& to);

struct RepoSettings {
  std::optional<bool> is_private;
  std::optional<std::string> gated;  // "" (off), "auto", "manual"
  std::optional<bool> discussions_disabled;  // no new discussions, pull requests, comments
};
Result<void> update_settings(Hub& hub, const Identity& who, const RepoId& id, const RepoSettings& s);

// Removes what an interrupted create or delete left in tmp/ ("new-*" and "trash-*"
// directories). REQUIRES: no create or delete is in progress (called at start-up).
void clear_tmp_repo_dirs(Hub& hub);

// Brings the rows in line with the repos on disk after a crash: a moved repo whose directory
// still has the old name is renamed. Called at start-up.
void repair_repo_dirs(Hub& hub);

// Removes the ref lock files that a crash left in the repositories; otherwise a branch whose
// update was interrupted refuses every later commit with 412. Returns how many were removed.
// REQUIRES: no other process writes the data dir (server start-up, before serving).
std::size_t remove_stale_ref_locks(Hub& hub);

}  // namespace wharf::hub
