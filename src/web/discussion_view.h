// What the discussion pages share (discussion_pages.cpp, discussion_thread_pages.cpp).
// Private to web/.
#pragma once

#include <cstdint>
#include <mstch/mstch.hpp>
#include <string>

#include "storage/db.h"
#include "web/repo_view.h"

namespace wharf::web {

// The route of the repo itself (no action, revision or path): what open_repo_view needs for
// a page whose segments after the repo are not a revision.
PageRoute repo_route(const PageRoute& r);

// "/<repo>/discussions/<num>".
std::string discussion_path(const hub::RepoId& id, int64_t num);

// "num", "title", "href", "status", "is_pr", "kind", "author", "author_href".
mstch::map discussion_summary(const PageCall& c, const hub::RepoId& id,
                              const storage::DiscussionRow& d);

// "discussions_disabled", "may_discuss" (signed in, allowed to open discussions and comment)
// and, for anonymous callers, "login_href" back to `here`.
Result<void> add_discuss_rights(const PageCall& c, const RepoView& v, mstch::map& ctx,
                                const std::string& here);

}  // namespace wharf::web
