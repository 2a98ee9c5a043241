// Parsing of the Hub's URL grammar (spec §2) on the RAW path: each segment is decoded only
// after the route is known, so "%2F" inside a revision never splits it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "hub/repo_id.h"

namespace wharf::api {

enum class RouteKind {
  NotFound,
  Whoami,
  RepoCreate, RepoDelete, RepoMove,
  ValidateYaml,
  RepoApi,     // /api/{type}s/{ns}/{name}[/{sub}/...]
  Resolve,     // /{prefix}{ns}/{name}/resolve/{rev}/{path}
  Raw,         // /{prefix}{ns}/{name}/raw/{rev}/{path}
  Lfs,         // /{prefix}{ns}/{name}.git/info/lfs/...
  GitSmart,    // /{prefix}{ns}/{name}[.git]/info/refs | git-upload-pack | git-receive-pack
  AskAccess,   // /{prefix}{ns}/{name}/ask-access (gated repos, spec §13.3)
  Listing,     // /api/models, /api/datasets, /api/spaces (spec §6); `repo.type` holds the type
  TagsByType,  // /api/models-tags-by-type, /api/datasets-tags-by-type
  Accounts,    // /api/organizations/..., /api/users/..., /api/settings/..., /api/audit-log;
               // `path` holds the decoded segments after /api/ joined with '/'
};

struct Route {
  RouteKind kind = RouteKind::NotFound;
  hub::RepoId repo;
  // RepoApi: "" (info), "revision", "tree", "paths-info", "preupload", "commit", "commits",
  // "super-squash", "branch", "tag", "refs", "settings", "auth-check", ... Lfs: the path
  // below info/lfs/ ("objects/batch", "objects/<oid>", ...). GitSmart: "info/refs", ...
  std::string sub;
  std::string rev;    // decoded revision (or branch/tag name)
  std::string path;   // decoded file path inside the repo ("" when none)
  // Where the repo id sits in the raw path, to rebuild the URL of a renamed repo.
  std::size_t id_begin = 0, id_end = 0;
  bool bad_encoding = false;  // a segment that does not percent-decode
};

Route parse_route(const std::string& raw_path);

}  // namespace wharf::api
