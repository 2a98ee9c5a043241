// A diff between two commits as the pages show it (templates/diff_files.mustache): the commit
// page (a commit against its first parent) and a pull request's "Files changed" (its diff
// base against its head). Private to web/.
#pragma once

#include <mstch/mstch.hpp>
#include <string>

#include "web/repo_view.h"

namespace wharf::web {

// Adds the diff of `from_commit` ("" for the empty tree) to `to_commit` as "files",
// "files_changed", "additions", "deletions", "diff_truncated" and "files_shown". Lines are
// shown only to callers who may read the content (v.can_read_content); LFS files show sizes.
// Errors: RevisionNotFound, 500 for git failures.
Result<void> add_diff(const RepoView& v, const std::string& from_commit,
                      const std::string& to_commit, mstch::map& ctx);

}  // namespace wharf::web
