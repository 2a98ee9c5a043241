// web/page_route: which paths are pages, and which belong to the API.
#include "web/page_route.h"

#include <gtest/gtest.h>

namespace wharf::web {
namespace {

TEST(PageRoute, TopLevelPages) {
  EXPECT_EQ(parse_page_route("/").kind, PageKind::Home);
  EXPECT_EQ(parse_page_route("/models").kind, PageKind::Listing);
  EXPECT_EQ(parse_page_route("/datasets").type, hub::RepoType::Dataset);
  EXPECT_EQ(parse_page_route("/new-space").kind, PageKind::NewRepo);
  EXPECT_EQ(parse_page_route("/new-space").type, hub::RepoType::Space);
  EXPECT_EQ(parse_page_route("/static/wharf.css").kind, PageKind::Static);
  EXPECT_EQ(parse_page_route("/login").kind, PageKind::Account);
  EXPECT_EQ(parse_page_route("/settings/tokens").kind, PageKind::Account);
  auto p = parse_page_route("/ada");
  EXPECT_EQ(p.kind, PageKind::Profile);
  EXPECT_EQ(p.path, "ada");
}

TEST(PageRoute, RepoPages) {
  auto r = parse_page_route("/ada/demo");
  EXPECT_EQ(r.kind, PageKind::Repo);
  EXPECT_EQ(r.repo.full(), "ada/demo");
  EXPECT_EQ(r.action, "");
  r = parse_page_route("/datasets/ada/data/tree/v1.0/a%20dir/b");
  EXPECT_EQ(r.kind, PageKind::Repo);
  EXPECT_EQ(r.repo.type, hub::RepoType::Dataset);
  EXPECT_EQ(r.action, "tree");
  EXPECT_EQ(r.rev, "v1.0");
  EXPECT_EQ(r.path, "a dir/b");
  r = parse_page_route("/ada/demo/blob/feature%2Fx/README.md");
  EXPECT_EQ(r.rev, "feature/x");
  EXPECT_EQ(r.path, "README.md");
  r = parse_page_route("/spaces/ada/app/settings");
  EXPECT_EQ(r.action, "settings");
  EXPECT_EQ(parse_page_route("/ada/demo/tree").action, "tree");
}

TEST(PageRoute, LeavesTheApiAlone) {
  for (const char* path : {"/api/models", "/ada/demo/resolve/main/x", "/ada/demo/raw/main/x", "/ada/demo.git/info/refs",
                           "/ada/demo/info/refs", "/ada/demo/git-upload-pack", "/ada/demo/ask-access",
                           "/datasets/ada/d/resolve/main/x", "/ada/demo/settings/extra", "/ada/demo/like/x",
                           "/ada/demo/commits/main/extra", "/bad..name", "/api", ""})
    EXPECT_EQ(parse_page_route(path).kind, PageKind::NotFound) << path;
}

TEST(PageRoute, BuildsEncodedPaths) {
  hub::RepoId id{hub::RepoType::Dataset, "ada", "data"};
  EXPECT_EQ(repo_path(id), "/datasets/ada/data");
  EXPECT_EQ(repo_path(id, "blob", "feature/x", "a dir/é.txt"), "/datasets/ada/data/blob/feature%2Fx/a%20dir/%C3%A9.txt");
  auto back = parse_page_route(repo_path(id, "blob", "feature/x", "a dir/é.txt"));
  EXPECT_EQ(back.rev, "feature/x");
  EXPECT_EQ(back.path, "a dir/é.txt");
}

}  // namespace
}  // namespace wharf::web
