// What the file pages (file_pages.cpp) and the commit pages (commit_pages.cpp) share: the
// branch and tag switcher, the path's breadcrumbs, commit summaries, LFS pointers, and the test
// for content worth showing as text. Private to web/.
#pragma once

#include <mstch/mstch.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "hub/lfs_pointer.h"
#include "storage/gitstore.h"
#include "web/repo_view.h"

namespace wharf::web {

// The switcher's values for templates/rev_switcher.mustache, as ctx["switcher"]: "label" (the
// revision shown, a sha shortened), "branches" and "tags" ({name, href, current}, at most 200
// each), each linking to the same page (`action`, `path`) at that ref.
mstch::map rev_switcher(const PageCall& c, const RepoView& v, std::string_view action,
                        std::string_view path);

// The breadcrumbs of `path` ("a/b/c"): the repo name, then each segment, all but the last
// linking to their folder's tree page; each {name, href, first}.
mstch::array breadcrumbs(const PageCall& c, const RepoView& v, std::string_view path);

// A commit as the history lists and the commit page show it: "sha", "short", "title",
// "message_body" (the message after the title), "author", "date", "datetime" (ISO 8601),
// "ago", "href" (its commit page).
mstch::map commit_summary(const PageCall& c, const hub::RepoId& id, const storage::CommitInfo& info,
                          int64_t now_ms);

// Whether `bytes` reads as text: valid UTF-8 without NUL bytes.
bool is_text(std::string_view bytes);

}  // namespace wharf::web
