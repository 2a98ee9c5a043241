// The URL grammar of spec §2, parsed on the raw path.
#include "api/route.h"

#include <gtest/gtest.h>

namespace wharf::api {
namespace {

TEST(Route, ParsesRepoInfoAndRevision) {
  auto r = parse_route("/api/models/alice/bert/revision/refs%2Fpr%2F3");
  EXPECT_EQ(r.kind, RouteKind::RepoApi);
  EXPECT_EQ(r.repo.full(), "alice/bert");
  EXPECT_EQ(r.sub, "revision");
  EXPECT_EQ(r.rev, "refs/pr/3");
  EXPECT_EQ(parse_route("/api/datasets/a/b").repo.type, hub::RepoType::Dataset);
  EXPECT_EQ(parse_route("/api/spaces/a/b").sub, "");
}

TEST(Route, TreeTakesRawPrRevisionThenPath) {
  auto raw = parse_route("/api/models/a/b/tree/refs/pr/1/sub/dir");
  EXPECT_EQ(raw.rev, "refs/pr/1");
  EXPECT_EQ(raw.path, "sub/dir");
  auto encoded = parse_route("/api/models/a/b/tree/refs%2Fpr%2F1/sub%2Fdir");
  EXPECT_EQ(encoded.rev, "refs/pr/1");
  EXPECT_EQ(encoded.path, "sub/dir");
  auto plain = parse_route("/api/models/a/b/tree/main");
  EXPECT_EQ(plain.rev, "main");
  EXPECT_EQ(plain.path, "");
}

TEST(Route, CommitsTakeTheWholeRestAsRevision) {
  EXPECT_EQ(parse_route("/api/models/a/b/commits/refs/pr/2").rev, "refs/pr/2");
  EXPECT_EQ(parse_route("/api/models/a/b/branch/feature%2Fx").rev, "feature/x");
}

TEST(Route, DiscussionsKeepTheRestAsPath) {
  auto list = parse_route("/api/datasets/a/b/discussions");
  EXPECT_EQ(list.kind, RouteKind::RepoApi);
  EXPECT_EQ(list.sub, "discussions");
  EXPECT_EQ(list.path, "");
  auto edit = parse_route("/api/models/a/b/discussions/3/comment/0123456789abcdef01234567/edit");
  EXPECT_EQ(edit.sub, "discussions");
  EXPECT_EQ(edit.path, "3/comment/0123456789abcdef01234567/edit");
  EXPECT_EQ(edit.rev, "");
}

TEST(Route, DoubleEncodedRevisionStaysEncodedOnce) {
  EXPECT_EQ(parse_route("/api/models/a/b/revision/refs%252Fpr%252F2").rev, "refs%2Fpr%2F2");
}

TEST(Route, ResolveForEachRepoType) {
  auto m = parse_route("/alice/bert/resolve/main/config.json");
  EXPECT_EQ(m.kind, RouteKind::Resolve);
  EXPECT_EQ(m.repo.type, hub::RepoType::Model);
  EXPECT_EQ(m.path, "config.json");
  auto d = parse_route("/datasets/a/b/resolve/v1.0/data/train%20set.parquet");
  EXPECT_EQ(d.repo.type, hub::RepoType::Dataset);
  EXPECT_EQ(d.rev, "v1.0");
  EXPECT_EQ(d.path, "data/train set.parquet");
  auto s = parse_route("/spaces/a/b/raw/refs%2Fpr%2F1/app.py");
  EXPECT_EQ(s.kind, RouteKind::Raw);
  EXPECT_EQ(s.rev, "refs/pr/1");
}

TEST(Route, RecordsWhereTheRepoIdSits) {
  std::string path = "/datasets/a/b/resolve/main/x";
  auto r = parse_route(path);
  EXPECT_EQ(path.substr(r.id_begin, r.id_end - r.id_begin), "a/b");
}

TEST(Route, GitAndLfsRoutes) {
  auto refs = parse_route("/alice/bert.git/info/refs");
  EXPECT_EQ(refs.kind, RouteKind::GitSmart);
  EXPECT_EQ(refs.repo.name, "bert");
  EXPECT_EQ(refs.sub, "info/refs");
  EXPECT_EQ(parse_route("/datasets/a/b/git-upload-pack").kind, RouteKind::GitSmart);
  auto lfs = parse_route("/a/b.git/info/lfs/objects/batch");
  EXPECT_EQ(lfs.kind, RouteKind::Lfs);
  EXPECT_EQ(lfs.sub, "objects/batch");
}

TEST(Route, BadEncodingIsFlaggedNotGuessed) {
  EXPECT_TRUE(parse_route("/a/b/resolve/main/%zz").bad_encoding);
}

TEST(Route, UnknownPathsAreNotFound) {
  EXPECT_EQ(parse_route("/").kind, RouteKind::NotFound);
  EXPECT_EQ(parse_route("/api/unknown").kind, RouteKind::NotFound);
  EXPECT_EQ(parse_route("/a/b/resolve/main").kind, RouteKind::NotFound);
}

}  // namespace
}  // namespace wharf::api
