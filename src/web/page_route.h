// The URL grammar of the web pages (the Hub's own page URLs), parsed on the raw path. What
// does not parse as a page belongs to the API (resolve, raw, git, LFS, /api/...).
#pragma once

#include <string>

#include "hub/repo_id.h"

namespace wharf::web {

enum class PageKind {
  NotFound,
  Static,    // /static/<name>
  Home,      // /
  Account,   // /join, /login, /logout, /settings/... (account_pages, token_pages)
  Listing,   // /models, /datasets, /spaces
  NewRepo,   // /new, /new-dataset, /new-space
  Profile,   // /<user or org>
  Repo,      // /[datasets/|spaces/]<ns>/<name>[/<action>[/<rev>[/<path>]]]
};

struct PageRoute {
  PageKind kind = PageKind::NotFound;
  hub::RepoType type = hub::RepoType::Model;  // Listing, NewRepo, Repo
  hub::RepoId repo;                           // Repo
  // Repo: "" (the card), "tree", "blob", "commits", "commit", "settings", "upload", "edit",
  // "like", "access-requests" (the owner's review), "request-access" (the gated form),
  // "discussions" (whose "rev" is "", "new" or the number, and "path" "" or "files").
  std::string action;
  std::string rev;   // Repo: the decoded revision segment ("main", "feature%2Fx" decoded)
  std::string path;  // Repo: the decoded path below the revision; Static and Profile: the name
};

PageRoute parse_page_route(const std::string& raw_path);

// The local URL path of a repo page: "/ns/name", "/datasets/ns/name", "/spaces/ns/name".
std::string repo_path(const hub::RepoId& id);
// repo_path + "/<action>/<rev>/<path>", the revision encoded as one segment (slashes as
// %2F) and the path segment by segment.
std::string repo_path(const hub::RepoId& id, std::string_view action, std::string_view rev,
                      std::string_view path = "");

}  // namespace wharf::web
