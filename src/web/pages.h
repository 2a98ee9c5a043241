// The page handlers, one file (or two) per page group. Private to web/; web.cpp routes
// to them (web/page_route.h names the URLs).
#pragma once

#include "web/page_call.h"
#include "web/page_route.h"

namespace wharf::web {

// home_page.cpp: trending models, datasets and Spaces.
Result<http::Response> home_page(PageCall& c);
// listing_pages.cpp: /models, /datasets, /spaces with search, facets, sort and pages.
Result<http::Response> listing_page(PageCall& c, hub::RepoType type);
// profile_pages.cpp: a user's or an organization's page with their repos.
Result<http::Response> profile_page(PageCall& c, const std::string& name);
// new_repo_page.cpp: the new-repo form (GET) and its creation (POST).
Result<http::Response> new_repo_page(PageCall& c, hub::RepoType type);

// The repo pages (route.kind == Repo), by route.action:
//   ""                    card_page        repo_page.cpp
//   "like"                like_repo        repo_page.cpp
//   "tree", "blob"        tree_page, blob_page      file_pages.cpp
//   "commits", "commit"   commits_page, commit_page commit_pages.cpp
//   "settings"            settings_page    repo_settings_page.cpp
//   "upload", "edit"      upload_page, edit_page    upload_pages.cpp
//   "request-access", "access-requests"  request_access_page, access_requests_page  gated_pages.cpp
//   "discussions"         discussions_page (the list, "new"), discussion_pages.cpp;
//                         a thread and its files, discussion_thread_pages.cpp
Result<http::Response> card_page(PageCall& c, const PageRoute& r);
Result<http::Response> like_repo(PageCall& c, const PageRoute& r);
Result<http::Response> tree_page(PageCall& c, const PageRoute& r);
Result<http::Response> blob_page(PageCall& c, const PageRoute& r);
Result<http::Response> commits_page(PageCall& c, const PageRoute& r);
Result<http::Response> commit_page(PageCall& c, const PageRoute& r);
Result<http::Response> settings_page(PageCall& c, const PageRoute& r);
Result<http::Response> upload_page(PageCall& c, const PageRoute& r);
Result<http::Response> edit_page(PageCall& c, const PageRoute& r);
Result<http::Response> request_access_page(PageCall& c, const PageRoute& r);
Result<http::Response> access_requests_page(PageCall& c, const PageRoute& r);
Result<http::Response> discussions_page(PageCall& c, const PageRoute& r);
// The thread of discussion `num` (GET), and its forms (POST with an "action" field: comment,
// status, title, edit, hide, merge); a pull request's "Files changed".
Result<http::Response> discussion_thread_page(PageCall& c, const PageRoute& r, int64_t num);
Result<http::Response> discussion_files_page(PageCall& c, const PageRoute& r, int64_t num);

}  // namespace wharf::web
