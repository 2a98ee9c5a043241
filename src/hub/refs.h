// Branches, tags and history rewriting through the API (spec §9).
#pragma once

#include <optional>
#include <string>

#include "hub/repos.h"

namespace wharf::hub {

// Nullopt when `name` is a valid branch or tag name (git's check-ref-format rules, and not
// a reserved form like "refs/pr/5" or a 40-hex sha), else why not.
std::optional<std::string> invalid_ref_name(const std::string& name);

struct BranchParams {
  std::string name;
  std::string starting_point;  // a revision; "" for the default branch head
  bool empty = false;          // a branch with one empty commit and no history
  bool overwrite = false;      // replace an existing branch
};
// Errors: 400 invalid name, 409 exists (without overwrite), RevisionNotFound.
Result<void> create_branch(Hub& hub, RepoHandle& repo, const Identity& who, const BranchParams& p);
// Errors: 404 missing branch, 403 for the default branch.
Result<void> delete_branch(Hub& hub, RepoHandle& repo, const std::string& name);

// Tags `revision` as `tag` (annotated when message is not empty). 409 if it exists.
Result<void> create_tag(RepoHandle& repo, const Identity& who, const std::string& revision,
                        const std::string& tag, const std::string& message);
Result<void> delete_tag(RepoHandle& repo, const std::string& tag);

// Replaces the history of `branch` with a single commit holding its current tree.
// Errors: 400 when `branch` is not a branch.
Result<std::string> super_squash(Hub& hub, RepoHandle& repo, const Identity& who,
                                 const std::string& branch, const std::string& message);

}  // namespace wharf::hub
