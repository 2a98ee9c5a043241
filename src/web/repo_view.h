// What every repo page shares: the repo opened for the caller at a revision, and the header
// (title, badges, like button, tabs) drawn by templates/repo_header.mustache.
#pragma once

#include <mstch/mstch.hpp>

#include <optional>
#include <string>

#include "hub/repos.h"
#include "web/page_call.h"
#include "web/page_route.h"

namespace wharf::web {

struct RepoView {
  hub::RepoHandle repo;
  std::string rev;     // the revision shown: the route's, or the default branch
  std::string commit;  // its commit sha
  bool is_default_rev = true;
  bool can_write = false;  // the caller may commit (upload, edit) and review access requests
  bool can_admin = false;  // the caller may change settings
  bool can_read_content = false;  // false for a gated repo the caller has no access to
};

// Opens the route's repo for the caller with `access` and resolves the route's revision (the
// default branch when empty). Errors: RepoNotFound (401 anonymous, shown as a 404 page),
// RepoMoved (web.cpp redirects), RevisionNotFound, 403.
Result<RepoView> open_repo_view(PageCall& c, const PageRoute& r, hub::Access access = hub::Access::Read);
// The same for a page that commits to the route's revision, with the access of
// hub::open_repo_for_commit: a pull request's ref (refs/pr/<num>) takes commits from the
// PR's author as well as from writers; a branch needs Write.
Result<RepoView> open_repo_view_for_commit(PageCall& c, const PageRoute& r);
// Whether the caller may commit to the shown revision from the browser (the upload and edit
// links): a branch for writers, an open pull request's ref for its author and writers.
bool may_commit_to(PageCall& c, const RepoView& v);

// The layout's and the header's values: "title", "repo_*", "tab_*" (the `tab` one set),
// "liked", "likes", "can_write", "can_admin", the revision and URL pieces, "community_shown"
// and "community_count" (open discussions and pull requests). Pages add theirs.
mstch::map repo_context(const PageCall& c, const RepoView& v, std::string_view tab);

// Absolute URL of the server (public URL) for snippets: "http://host:8080".
std::string public_origin(const PageCall& c);

}  // namespace wharf::web
