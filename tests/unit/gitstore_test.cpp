#include "storage/gitstore.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

namespace wharf {
// Readable failure output for results (found by argument-dependent lookup).
template <typename T>
void PrintTo(const Result<T>& result, std::ostream* os) {
  if (!result) {
    *os << "error " << result.error().status << " " << result.error().code << ": "
        << result.error().message;
  } else if constexpr (std::is_void_v<T>) {
    *os << "ok";
  } else {
    *os << ::testing::PrintToString(*result);
  }
}
}  // namespace wharf

namespace wharf::storage {
namespace {

namespace fs = std::filesystem;

class LibGit2Environment : public ::testing::Environment {
 public:
  void SetUp() override { library_ = std::make_unique<GitLibrary>(); }
  void TearDown() override { library_.reset(); }

 private:
  std::unique_ptr<GitLibrary> library_;
};
[[maybe_unused]] ::testing::Environment* const kLibGit2 =
    ::testing::AddGlobalTestEnvironment(new LibGit2Environment);

// Output and exit status of a shell command.
struct Shell {
  std::string out;
  int status = -1;
};
Shell run(const std::string& cmd) {
  Shell result;
  FILE* pipe = popen((cmd + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return result;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) result.out.append(buf, n);
  result.status = pclose(pipe);
  return result;
}

Signature sig(int64_t seconds) { return {"Alice", "alice@example.com", seconds * 1000}; }

TreeEdit upsert(std::string path, std::string oid, uint32_t mode = 0100644) {
  return {TreeEdit::Kind::Upsert, std::move(path), std::move(oid), mode};
}
TreeEdit del(std::string path) { return {TreeEdit::Kind::Delete, std::move(path), "", 0100644}; }
TreeEdit del_folder(std::string path) {
  return {TreeEdit::Kind::DeleteFolder, std::move(path), "", 0100644};
}

class GitStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/gitstore_test_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    auto repo = GitRepo::init_bare(git_dir(), "main");
    ASSERT_TRUE(repo.has_value()) << repo.error().message;
    repo_.emplace(std::move(*repo));
  }
  void TearDown() override {
    repo_.reset();
    fs::remove_all(dir_);
  }

  std::string git_dir() const { return dir_ + "/ns/repo.git"; }
  GitRepo& repo() { return *repo_; }
  std::string git(const std::string& args) {
    Shell s = run("git --git-dir=" + git_dir() + " " + args);
    EXPECT_EQ(s.status, 0) << args << ": " << s.out;
    return s.out;
  }

  std::string blob(std::string_view content) {
    auto oid = repo().write_blob(content);
    EXPECT_TRUE(oid.has_value());
    return oid.value_or("");
  }
  // Commits `files` (path -> content) on top of `parent` without moving refs.
  std::string commit_files(const std::string& parent,
                           const std::vector<std::pair<std::string, std::string>>& files,
                           int64_t seconds = 1700000000, const std::string& message = "update") {
    std::vector<TreeEdit> edits;
    for (const auto& [path, content] : files) edits.push_back(upsert(path, blob(content)));
    auto sha = repo().commit_edits(parent, edits, sig(seconds), message);
    EXPECT_TRUE(sha.has_value()) << sha.error().message;
    return sha.value_or("");
  }
  // Commits and moves refs/heads/main there.
  std::string commit_on_main(const std::vector<std::pair<std::string, std::string>>& files,
                             int64_t seconds = 1700000000, const std::string& message = "update") {
    std::string parent = repo().ref_target("refs/heads/main").value_or("");
    std::string sha = commit_files(parent, files, seconds, message);
    EXPECT_TRUE(repo().update_ref("refs/heads/main", sha, parent, "commit").has_value());
    return sha;
  }
  std::vector<std::string> paths(const std::vector<TreeEntry>& entries) {
    std::vector<std::string> out;
    for (const auto& e : entries) out.push_back(e.path);
    return out;
  }

  std::string dir_;
  std::optional<GitRepo> repo_;
};

// ---- open / init ------------------------------------------------------------------------

TEST_F(GitStoreTest, InitBareCreatesParentsAndPointsHeadAtDefaultBranch) {
  EXPECT_TRUE(fs::is_regular_file(git_dir() + "/HEAD"));
  EXPECT_EQ(repo().default_branch(), "main");
  EXPECT_EQ(git("symbolic-ref HEAD"), "refs/heads/main\n");
  EXPECT_EQ(git("rev-parse --is-bare-repository"), "true\n");
  EXPECT_EQ(repo().path(), git_dir());
}

TEST_F(GitStoreTest, InitBareRefusesExistingPath) {
  auto again = GitRepo::init_bare(git_dir(), "main");
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().status, 409);
  fs::create_directories(dir_ + "/plain");
  auto over_dir = GitRepo::init_bare(dir_ + "/plain", "main");
  ASSERT_FALSE(over_dir.has_value());
  EXPECT_EQ(over_dir.error().code, "Conflict");
}

TEST_F(GitStoreTest, OpenSeesWhatAnotherHandleWrote) {
  std::string sha = commit_on_main({{"a.txt", "A"}});
  auto other = GitRepo::open(git_dir());
  ASSERT_TRUE(other.has_value()) << other.error().message;
  EXPECT_EQ(other->ref_target("refs/heads/main"), sha);
  EXPECT_EQ(other->default_branch(), "main");
}

TEST_F(GitStoreTest, OpenFailsForMissingRepository) {
  auto missing = GitRepo::open(dir_ + "/nope.git");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().status, 404);
}

TEST_F(GitStoreTest, DefaultBranchFollowsInitialHead) {
  auto other = GitRepo::init_bare(dir_ + "/other.git", "develop");
  ASSERT_TRUE(other.has_value());
  EXPECT_EQ(other->default_branch(), "develop");
}

TEST_F(GitStoreTest, MovedRepoHandleStaysUsable) {
  std::string sha = commit_on_main({{"a", "1"}});
  GitRepo moved = std::move(*repo_);
  EXPECT_EQ(moved.ref_target("refs/heads/main"), sha);
  GitRepo target = std::move(moved);
  EXPECT_EQ(target.path(), git_dir());
}

TEST_F(GitStoreTest, EnableFsyncKeepsWritesWorking) {
  GitRepo::enable_fsync();
  std::string sha = commit_on_main({{"a", "1"}});
  EXPECT_EQ(repo().resolve_revision("main"), sha);
}

// ---- blobs ------------------------------------------------------------------------------

TEST_F(GitStoreTest, WriteBlobUsesGitBlobIdsAndMatchesHashBlob) {
  EXPECT_EQ(blob("hello\n"), "ce013625030ba8dba906f756967f9e9ca394464a");
  EXPECT_EQ(GitRepo::hash_blob("hello\n"), "ce013625030ba8dba906f756967f9e9ca394464a");
  EXPECT_EQ(blob(""), "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
  EXPECT_EQ(GitRepo::hash_blob(""), "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
  EXPECT_EQ(git("cat-file -p ce013625030ba8dba906f756967f9e9ca394464a"), "hello\n");
}

TEST_F(GitStoreTest, HashBlobDoesNotWrite) {
  std::string oid = GitRepo::hash_blob("never written");
  auto read = repo().read_blob(oid);
  ASSERT_FALSE(read.has_value());
  EXPECT_EQ(read.error().code, "EntryNotFound");
}

TEST_F(GitStoreTest, ReadBlobReturnsExactBytes) {
  std::string binary("a\0b\xff\n", 5);
  auto read = repo().read_blob(blob(binary));
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(*read, binary);
}

TEST_F(GitStoreTest, ReadBlobRejectsMalformedOrNonBlobOid) {
  EXPECT_EQ(repo().read_blob("xyz").error().code, "EntryNotFound");
  std::string commit = commit_files("", {{"a", "1"}});
  EXPECT_EQ(repo().read_blob(commit).error().code, "EntryNotFound");
}

// ---- commits ----------------------------------------------------------------------------

TEST_F(GitStoreTest, CommitEditsFromEmptyParentBuildsTreeWithoutMovingRefs) {
  std::string sha = commit_files("", {{"README.md", "# hi\n"}, {"data/train.csv", "x,y\n"}});
  EXPECT_EQ(repo().ref_target("refs/heads/main"), std::nullopt);
  auto info = repo().read_commit(sha);
  ASSERT_TRUE(info.has_value());
  EXPECT_TRUE(info->parents.empty());
  auto all = repo().list_tree(sha, "", true);
  ASSERT_TRUE(all.has_value());
  EXPECT_EQ(paths(*all), (std::vector<std::string>{"README.md", "data", "data/train.csv"}));
}

TEST_F(GitStoreTest, CommitEditsStartsFromParentTree) {
  std::string first = commit_files("", {{"a.txt", "A"}, {"b.txt", "B"}});
  std::string second = commit_files(first, {{"b.txt", "B2"}, {"c.txt", "C"}});
  auto info = repo().read_commit(second);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->parents, std::vector<std::string>{first});
  auto root = repo().list_tree(second, "", false);
  ASSERT_TRUE(root.has_value());
  EXPECT_EQ(paths(*root), (std::vector<std::string>{"a.txt", "b.txt", "c.txt"}));
  EXPECT_EQ(repo().read_blob((*root)[1].oid), "B2");
  EXPECT_EQ(repo().read_blob((*root)[0].oid), "A");
}

TEST_F(GitStoreTest, CommitEditsDeleteRemovesFileAndEmptiedDirectories) {
  std::string first = commit_files("", {{"keep", "k"}, {"dir/only", "o"}});
  auto second = repo().commit_edits(first, {del("dir/only")}, sig(1), "rm");
  ASSERT_TRUE(second.has_value()) << second.error().message;
  EXPECT_EQ(paths(*repo().list_tree(*second, "", true)), std::vector<std::string>{"keep"});
}

TEST_F(GitStoreTest, CommitEditsDeleteOfMissingFileIsEntryNotFound) {
  std::string first = commit_files("", {{"dir/a", "1"}});
  for (std::string path : {"nope", "dir", "dir/b"}) {
    auto result = repo().commit_edits(first, {del(path)}, sig(1), "rm");
    ASSERT_FALSE(result.has_value()) << path;
    EXPECT_EQ(result.error().status, 404);
    EXPECT_EQ(result.error().code, "EntryNotFound");
    EXPECT_NE(result.error().message.find("A file with this name doesn't exist"),
              std::string::npos);
  }
}

TEST_F(GitStoreTest, CommitEditsDeleteFolderRemovesOnlyThatFolder) {
  std::string first = commit_files(
      "", {{"a/x", "1"}, {"a/sub/y", "2"}, {"a.txt", "3"}, {"ab/z", "4"}, {"b/a/w", "5"}});
  auto second = repo().commit_edits(first, {del_folder("a")}, sig(1), "rm -r");
  ASSERT_TRUE(second.has_value()) << second.error().message;
  EXPECT_EQ(paths(*repo().list_tree(*second, "", true)),
            (std::vector<std::string>{"a.txt", "ab", "ab/z", "b", "b/a", "b/a/w"}));
}

TEST_F(GitStoreTest, CommitEditsDeleteFolderOfMissingFolderIsEntryNotFound) {
  std::string first = commit_files("", {{"a/x", "1"}, {"file", "2"}});
  for (std::string path : {"b", "file", "a/x"}) {
    auto result = repo().commit_edits(first, {del_folder(path)}, sig(1), "rm -r");
    ASSERT_FALSE(result.has_value()) << path;
    EXPECT_EQ(result.error().code, "EntryNotFound") << path;
    EXPECT_NE(result.error().message.find("A file with this name doesn't exist"),
              std::string::npos);
  }
}

TEST_F(GitStoreTest, CommitEditsRejectsFileDirectoryConflict) {
  std::string first = commit_files("", {{"a", "file"}, {"d/x", "nested"}});
  std::string b = blob("new");
  for (std::string path : {"a/b", "a/b/c", "d"}) {
    auto result = repo().commit_edits(first, {upsert(path, b)}, sig(1), "conflict");
    ASSERT_FALSE(result.has_value()) << path;
    EXPECT_EQ(result.error().status, 400) << path;
    EXPECT_EQ(result.error().code, "BadRequest");
  }
  // The same conflict arising inside one batch.
  auto in_batch = repo().commit_edits("", {upsert("p/q", b), upsert("p", b)}, sig(1), "x");
  ASSERT_FALSE(in_batch.has_value());
  EXPECT_EQ(in_batch.error().code, "BadRequest");
}

TEST_F(GitStoreTest, CommitEditsAppliesEditsInOrder) {
  std::string first = commit_files("", {{"a/x", "1"}});
  std::string b = blob("now a file");
  // Removing the folder first makes room for a file of the same name.
  auto replaced = repo().commit_edits(first, {del_folder("a"), upsert("a", b)}, sig(1), "swap");
  ASSERT_TRUE(replaced.has_value()) << replaced.error().message;
  auto entry = repo().stat(*replaced, "a");
  ASSERT_TRUE(entry.has_value() && entry->has_value());
  EXPECT_EQ((*entry)->type, EntryType::File);
  // Upsert then delete of the same path leaves nothing.
  auto gone = repo().commit_edits(first, {upsert("n", b), del("n")}, sig(1), "noop");
  ASSERT_TRUE(gone.has_value());
  EXPECT_EQ(repo().stat(*gone, "n").value(), std::nullopt);
}

TEST_F(GitStoreTest, CommitEditsKeepsExecutableAndSymlinkModes) {
  auto sha = repo().commit_edits(
      "", {upsert("run.sh", blob("#!/bin/sh\n"), 0100755), upsert("link", blob("run.sh"), 0120000)},
      sig(1), "modes");
  ASSERT_TRUE(sha.has_value());
  EXPECT_EQ((*repo().stat(*sha, "run.sh"))->mode, 0100755u);
  EXPECT_EQ((*repo().stat(*sha, "link"))->mode, 0120000u);
  EXPECT_EQ(git("ls-tree " + *sha), "120000 blob " + GitRepo::hash_blob("run.sh") +
                                        "\tlink\n100755 blob " + GitRepo::hash_blob("#!/bin/sh\n") +
                                        "\trun.sh\n");
}

TEST_F(GitStoreTest, CommitEditsRejectsInvalidModeUnknownParentAndMissingBlob) {
  auto bad_mode = repo().commit_edits("", {upsert("a", blob("x"), 0100600)}, sig(1), "m");
  ASSERT_FALSE(bad_mode.has_value());
  EXPECT_EQ(bad_mode.error().code, "BadRequest");
  auto bad_parent =
      repo().commit_edits(std::string(40, 'a'), {upsert("a", blob("x"))}, sig(1), "m");
  ASSERT_FALSE(bad_parent.has_value());
  EXPECT_EQ(bad_parent.error().code, "RevisionNotFound");
  auto missing_blob =
      repo().commit_edits("", {upsert("a", GitRepo::hash_blob("unwritten"))}, sig(1), "m");
  ASSERT_FALSE(missing_blob.has_value());
  EXPECT_EQ(missing_blob.error().status, 500);
}

TEST_F(GitStoreTest, ReadCommitReportsMetadata) {
  auto sha =
      repo().commit_edits("", {upsert("a", blob("1"))}, {"Bob", "bob@example.com", 1700000123456},
                          "Title line\r\n\nBody\n");
  ASSERT_TRUE(sha.has_value());
  auto info = repo().read_commit(*sha);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->id, *sha);
  EXPECT_EQ(info->title, "Title line");
  EXPECT_EQ(info->message, "Title line\r\n\nBody");
  EXPECT_EQ(info->author.name, "Bob");
  EXPECT_EQ(info->author.email, "bob@example.com");
  EXPECT_EQ(info->author.time_ms, 1700000123000);  // git keeps whole seconds
  EXPECT_EQ(info->committer.name, "Bob");
  EXPECT_EQ(info->tree, git("rev-parse " + *sha + "^{tree}").substr(0, 40));
}

TEST_F(GitStoreTest, ReadCommitRejectsUnknownOrNonCommitSha) {
  EXPECT_EQ(repo().read_commit(std::string(40, '0')).error().code, "RevisionNotFound");
  EXPECT_EQ(repo().read_commit("main").error().code, "RevisionNotFound");
  EXPECT_EQ(repo().read_commit(blob("x")).error().code, "RevisionNotFound");
}

TEST_F(GitStoreTest, WriteCommitUsesGivenTreeAndParents) {
  std::string first = commit_files("", {{"a", "1"}});
  std::string second = commit_files(first, {{"b", "2"}});
  std::string tree = repo().read_commit(second)->tree;
  auto squashed = repo().write_commit(tree, {}, sig(5), "Super-squash");
  ASSERT_TRUE(squashed.has_value());
  auto info = repo().read_commit(*squashed);
  EXPECT_EQ(info->tree, tree);
  EXPECT_TRUE(info->parents.empty());
  EXPECT_EQ(info->title, "Super-squash");
  auto merge = repo().write_commit(tree, {second, first}, sig(6), "two parents");
  ASSERT_TRUE(merge.has_value());
  EXPECT_EQ(repo().read_commit(*merge)->parents, (std::vector<std::string>{second, first}));
  EXPECT_FALSE(repo().write_commit(std::string(40, 'b'), {}, sig(1), "x").has_value());
  EXPECT_EQ(repo().write_commit(tree, {std::string(40, 'c')}, sig(1), "x").error().code,
            "RevisionNotFound");
}

// ---- trees ------------------------------------------------------------------------------

TEST_F(GitStoreTest, ListTreeRootListsDirectChildrenWithSizes) {
  std::string sha = commit_files("", {{"big.bin", std::string(1000, 'x')}, {"d/inner", "i"}});
  auto root = repo().list_tree(sha, "", false);
  ASSERT_TRUE(root.has_value());
  ASSERT_EQ(root->size(), 2u);
  const TreeEntry& file = (*root)[0];
  EXPECT_EQ(file.path, "big.bin");
  EXPECT_EQ(file.type, EntryType::File);
  EXPECT_EQ(file.size, 1000u);
  EXPECT_EQ(file.mode, 0100644u);
  EXPECT_EQ(file.oid, GitRepo::hash_blob(std::string(1000, 'x')));
  const TreeEntry& dir = (*root)[1];
  EXPECT_EQ(dir.path, "d");
  EXPECT_EQ(dir.type, EntryType::Directory);
  EXPECT_EQ(dir.size, 0u);
  EXPECT_EQ(dir.mode, 040000u);
  EXPECT_EQ(dir.oid, git("rev-parse " + sha + ":d").substr(0, 40));
}

TEST_F(GitStoreTest, ListTreeRecursiveIsPreOrderWithFullPaths) {
  std::string sha = commit_files(
      "", {{"z", "1"}, {"a/b/c.txt", "2"}, {"a/a.txt", "3"}, {"a.txt", "4"}, {"a0", "5"}});
  auto all = repo().list_tree(sha, "", true);
  ASSERT_TRUE(all.has_value());
  // Git tree order: "a.txt" sorts before the directory "a" (compared as "a/").
  EXPECT_EQ(paths(*all),
            (std::vector<std::string>{"a.txt", "a", "a/a.txt", "a/b", "a/b/c.txt", "a0", "z"}));
  auto sub = repo().list_tree(sha, "a", true);
  ASSERT_TRUE(sub.has_value());
  EXPECT_EQ(paths(*sub), (std::vector<std::string>{"a/a.txt", "a/b", "a/b/c.txt"}));
  auto direct = repo().list_tree(sha, "a/b", false);
  ASSERT_TRUE(direct.has_value());
  EXPECT_EQ(paths(*direct), std::vector<std::string>{"a/b/c.txt"});
}

TEST_F(GitStoreTest, ListTreeOfMissingDirectoryOrFileIsEntryNotFound) {
  std::string sha = commit_files("", {{"a/x", "1"}});
  EXPECT_EQ(repo().list_tree(sha, "b", false).error().code, "EntryNotFound");
  EXPECT_EQ(repo().list_tree(sha, "a/x", true).error().code, "EntryNotFound");
  EXPECT_EQ(repo().list_tree(sha, "a/x/y", false).error().code, "EntryNotFound");
  EXPECT_EQ(repo().list_tree(std::string(40, 'f'), "", false).error().code, "RevisionNotFound");
}

TEST_F(GitStoreTest, ListTreeOfEmptyCommitIsEmpty) {
  auto sha = repo().commit_edits("", {}, sig(1), "empty");
  ASSERT_TRUE(sha.has_value());
  EXPECT_TRUE(repo().list_tree(*sha, "", true)->empty());
}

TEST_F(GitStoreTest, StatReturnsFilesDirectoriesAndRoot) {
  std::string sha = commit_files("", {{"d/f.txt", "hello"}});
  auto file = repo().stat(sha, "d/f.txt");
  ASSERT_TRUE(file.has_value() && file->has_value());
  EXPECT_EQ((*file)->path, "d/f.txt");
  EXPECT_EQ((*file)->type, EntryType::File);
  EXPECT_EQ((*file)->size, 5u);
  EXPECT_EQ((*file)->oid, GitRepo::hash_blob("hello"));
  auto dir = repo().stat(sha, "d");
  ASSERT_TRUE(dir.has_value() && dir->has_value());
  EXPECT_EQ((*dir)->type, EntryType::Directory);
  EXPECT_EQ((*dir)->path, "d");
  auto root = repo().stat(sha, "");
  ASSERT_TRUE(root.has_value() && root->has_value());
  EXPECT_EQ((*root)->type, EntryType::Directory);
  EXPECT_EQ((*root)->path, "");
  EXPECT_EQ((*root)->oid, repo().read_commit(sha)->tree);
}

TEST_F(GitStoreTest, StatOfAbsentPathIsNullopt) {
  std::string sha = commit_files("", {{"d/f.txt", "hello"}});
  EXPECT_EQ(repo().stat(sha, "nope").value(), std::nullopt);
  EXPECT_EQ(repo().stat(sha, "d/f.txt/below").value(), std::nullopt);
  EXPECT_EQ(repo().stat(sha, "d/g").value(), std::nullopt);
  EXPECT_EQ(repo().stat(std::string(40, 'e'), "d").error().code, "RevisionNotFound");
}

// ---- revisions and refs -----------------------------------------------------------------

TEST_F(GitStoreTest, ResolveRevisionAcceptsHeadBranchesTagsRefsAndShas) {
  std::string first = commit_on_main({{"a", "1"}}, 100);
  std::string second = commit_on_main({{"a", "2"}}, 200);
  ASSERT_TRUE(repo().create_ref("refs/heads/dev", first).has_value());
  ASSERT_TRUE(repo().create_ref("refs/tags/v1", first).has_value());
  ASSERT_TRUE(repo().create_annotated_tag("v2", second, sig(300), "release").has_value());
  ASSERT_TRUE(repo().create_ref("refs/pr/3", first).has_value());
  ASSERT_TRUE(repo().create_ref("refs/convert/parquet", second).has_value());

  EXPECT_EQ(repo().resolve_revision("HEAD"), second);
  EXPECT_EQ(repo().resolve_revision("main"), second);
  EXPECT_EQ(repo().resolve_revision("dev"), first);
  EXPECT_EQ(repo().resolve_revision("v1"), first);
  EXPECT_EQ(repo().resolve_revision("v2"), second);  // annotated tag peeled
  EXPECT_EQ(repo().resolve_revision("refs/tags/v2"), second);
  EXPECT_EQ(repo().resolve_revision("refs/pr/3"), first);
  EXPECT_EQ(repo().resolve_revision("refs/convert/parquet"), second);
  EXPECT_EQ(repo().resolve_revision("refs/heads/dev"), first);
  EXPECT_EQ(repo().resolve_revision(first), first);
  EXPECT_EQ(repo().resolve_revision(first.substr(0, 7)), first);
  EXPECT_EQ(repo().resolve_revision(second.substr(0, 39)), second);
}

TEST_F(GitStoreTest, ResolveRevisionPrefersBranchOverTagAndSha) {
  std::string first = commit_on_main({{"a", "1"}}, 100);
  std::string second = commit_on_main({{"a", "2"}}, 200);
  ASSERT_TRUE(repo().create_ref("refs/heads/same", first).has_value());
  ASSERT_TRUE(repo().create_ref("refs/tags/same", second).has_value());
  EXPECT_EQ(repo().resolve_revision("same"), first);
  // A branch whose name is a prefix of another commit's sha.
  std::string prefix = second.substr(0, 8);
  ASSERT_TRUE(repo().create_ref("refs/heads/" + prefix, first).has_value());
  EXPECT_EQ(repo().resolve_revision(prefix), first);
}

TEST_F(GitStoreTest, ResolveRevisionRejectsRevspecSyntax) {
  std::string first = commit_on_main({{"a", "1"}}, 100);
  commit_on_main({{"a", "2"}}, 200);
  const std::vector<std::string> revs = {"main~1",   "main^",          "main^{tree}",
                                         "HEAD@{0}", "main:a",         "main..main",
                                         "@{-1}",    first + "..HEAD", std::string("ma\0in", 5)};
  for (const std::string& rev : revs) {
    auto result = repo().resolve_revision(rev);
    ASSERT_FALSE(result.has_value()) << rev;
    EXPECT_EQ(result.error().code, "RevisionNotFound") << rev;
    EXPECT_EQ(result.error().status, 404);
  }
}

TEST_F(GitStoreTest, ResolveRevisionRejectsUnknownNamesAndNonCommits) {
  std::string sha = commit_on_main({{"a", "1"}});
  std::string blob_oid = GitRepo::hash_blob("1");
  std::string tree = repo().read_commit(sha)->tree;
  for (const std::string& rev :
       {std::string(""), std::string("nope"), std::string("refs/nope"), std::string("refs/heads"),
        sha.substr(0, 3), std::string(40, '0'), blob_oid, tree, blob_oid.substr(0, 10)}) {
    auto result = repo().resolve_revision(rev);
    ASSERT_FALSE(result.has_value()) << rev;
    EXPECT_EQ(result.error().code, "RevisionNotFound") << rev;
  }
}

TEST_F(GitStoreTest, ResolveRevisionOfHeadOnEmptyRepoIsRevisionNotFound) {
  EXPECT_EQ(repo().resolve_revision("HEAD").error().code, "RevisionNotFound");
  EXPECT_EQ(repo().resolve_revision("main").error().code, "RevisionNotFound");
}

TEST_F(GitStoreTest, ResolveRevisionRejectsAmbiguousShortSha) {
  std::string sha = commit_on_main({{"a", "1"}});
  // Find a blob whose id shares the commit's first 4 hex digits, then store it.
  std::string twin;
  for (int i = 0; twin.empty() && i < 10'000'000; ++i) {
    std::string content = "twin " + std::to_string(i);
    if (GitRepo::hash_blob(content).compare(0, 4, sha, 0, 4) == 0) twin = content;
  }
  ASSERT_FALSE(twin.empty());
  std::string twin_oid = blob(twin);
  size_t common = 4;
  while (twin_oid[common] == sha[common]) ++common;
  EXPECT_EQ(repo().resolve_revision(sha.substr(0, common)).error().code, "RevisionNotFound");
  EXPECT_EQ(repo().resolve_revision(sha.substr(0, common + 1)), sha);
}

TEST_F(GitStoreTest, RefTargetPeelsTagsAndReportsMissingRefs) {
  std::string sha = commit_on_main({{"a", "1"}});
  ASSERT_TRUE(repo().create_annotated_tag("v1", sha, sig(1), "v1").has_value());
  EXPECT_EQ(repo().ref_target("refs/tags/v1"), sha);
  EXPECT_NE(git("rev-parse refs/tags/v1").substr(0, 40), sha);  // the tag object itself
  EXPECT_EQ(repo().ref_target("refs/heads/main"), sha);
  EXPECT_EQ(repo().ref_target("refs/heads/other"), std::nullopt);
  EXPECT_EQ(repo().ref_target("not a ref"), std::nullopt);
}

TEST_F(GitStoreTest, ListRefsIsSortedAndPeeled) {
  std::string first = commit_on_main({{"a", "1"}}, 100);
  ASSERT_TRUE(repo().create_annotated_tag("v1", first, sig(1), "v1").has_value());
  ASSERT_TRUE(repo().create_ref("refs/pr/1", first).has_value());
  ASSERT_TRUE(repo().create_ref("refs/heads/b", first).has_value());
  ASSERT_TRUE(repo().create_ref("refs/convert/parquet", first).has_value());
  auto refs = repo().list_refs();
  std::vector<std::string> names;
  for (const auto& r : refs) {
    names.push_back(r.name);
    EXPECT_EQ(r.target, first) << r.name;
  }
  EXPECT_EQ(names, (std::vector<std::string>{"refs/convert/parquet", "refs/heads/b",
                                             "refs/heads/main", "refs/pr/1", "refs/tags/v1"}));
}

TEST_F(GitStoreTest, UpdateRefCreatesRefWhenExpectedOldIsEmpty) {
  std::string sha = commit_files("", {{"a", "1"}});
  ASSERT_TRUE(repo().update_ref("refs/heads/main", sha, "", "create").has_value());
  EXPECT_EQ(git("rev-parse refs/heads/main"), sha + "\n");
}

TEST_F(GitStoreTest, UpdateRefRejectsExistingRefWhenExpectedOldIsEmpty) {
  std::string first = commit_on_main({{"a", "1"}});
  std::string other = commit_files("", {{"b", "2"}});
  auto result = repo().update_ref("refs/heads/main", other, "", "create");
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().status, 412);
  EXPECT_EQ(result.error().code, "PreconditionFailed");
  EXPECT_EQ(repo().ref_target("refs/heads/main"), first);
}

TEST_F(GitStoreTest, UpdateRefMovesRefWhenExpectedOldMatches) {
  std::string first = commit_on_main({{"a", "1"}});
  std::string second = commit_files(first, {{"a", "2"}});
  ASSERT_TRUE(repo().update_ref("refs/heads/main", second, first, "advance").has_value());
  EXPECT_EQ(repo().ref_target("refs/heads/main"), second);
}

TEST_F(GitStoreTest, UpdateRefRejectsStaleExpectedOld) {
  std::string first = commit_on_main({{"a", "1"}});
  std::string second = commit_on_main({{"a", "2"}});
  std::string third = commit_files(first, {{"a", "3"}});
  auto result = repo().update_ref("refs/heads/main", third, first, "stale");
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().status, 412);
  EXPECT_EQ(repo().ref_target("refs/heads/main"), second);
}

TEST_F(GitStoreTest, UpdateRefWithExpectedOldOnMissingRefFails) {
  std::string sha = commit_files("", {{"a", "1"}});
  auto result = repo().update_ref("refs/heads/ghost", sha, sha, "x");
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().status, 412);
  EXPECT_EQ(repo().ref_target("refs/heads/ghost"), std::nullopt);
}

TEST_F(GitStoreTest, UpdateRefTreatsLockedRefAsPreconditionFailed) {
  std::string first = commit_on_main({{"a", "1"}});
  std::string second = commit_files(first, {{"a", "2"}});
  std::ofstream(git_dir() + "/refs/heads/main.lock") << "held by another writer\n";
  auto result = repo().update_ref("refs/heads/main", second, first, "x");
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().status, 412);
  fs::remove(git_dir() + "/refs/heads/main.lock");
  EXPECT_TRUE(repo().update_ref("refs/heads/main", second, first, "x").has_value());
}

TEST_F(GitStoreTest, UpdateRefRejectsUnknownCommit) {
  auto result = repo().update_ref("refs/heads/main", std::string(40, 'a'), "", "x");
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, "RevisionNotFound");
}

TEST_F(GitStoreTest, UpdateRefRacingWritersExactlyOneWins) {
  std::string base = commit_on_main({{"a", "base"}});
  constexpr int kWriters = 8;
  for (int round = 0; round < 20; ++round) {
    std::string expected = *repo().ref_target("refs/heads/main");
    std::vector<std::string> candidates;
    for (int w = 0; w < kWriters; ++w)
      candidates.push_back(
          commit_files(expected, {{"a", std::to_string(round) + "/" + std::to_string(w)}}));
    std::atomic<int> ready{0};
    std::atomic<int> wins{0};
    std::atomic<int> precondition_failures{0};
    std::vector<int> won(kWriters, 0);
    std::vector<std::thread> threads;
    for (int w = 0; w < kWriters; ++w) {
      threads.emplace_back([&, w] {
        auto handle = GitRepo::open(git_dir());  // one handle per thread
        if (!handle) return;
        ++ready;
        while (ready.load() < kWriters) std::this_thread::yield();
        auto result = handle->update_ref("refs/heads/main", candidates[w], expected, "race");
        if (result) {
          ++wins;
          won[w] = 1;
        } else if (result.error().status == 412) {
          ++precondition_failures;
        }
      });
    }
    for (auto& t : threads) t.join();
    ASSERT_EQ(wins.load(), 1) << "round " << round;
    ASSERT_EQ(precondition_failures.load(), kWriters - 1) << "round " << round;
    int winner = static_cast<int>(std::find(won.begin(), won.end(), 1) - won.begin());
    ASSERT_EQ(repo().ref_target("refs/heads/main"), candidates[winner]);
  }
  EXPECT_NE(repo().ref_target("refs/heads/main"), base);
}

TEST_F(GitStoreTest, CreateRefRejectsExistingRef) {
  std::string sha = commit_on_main({{"a", "1"}});
  ASSERT_TRUE(repo().create_ref("refs/heads/dev", sha).has_value());
  EXPECT_EQ(repo().ref_target("refs/heads/dev"), sha);
  auto again = repo().create_ref("refs/heads/dev", sha);
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().status, 409);
  EXPECT_EQ(repo().create_ref("refs/heads/x", std::string(40, '1')).error().code,
            "RevisionNotFound");
}

TEST_F(GitStoreTest, CreateAnnotatedTagWritesTagObject) {
  std::string sha = commit_on_main({{"a", "1"}});
  ASSERT_TRUE(repo().create_annotated_tag("v1.0", sha, sig(1700000000), "Release 1.0").has_value());
  EXPECT_EQ(git("cat-file -t refs/tags/v1.0"), "tag\n");
  std::string tag = git("cat-file -p refs/tags/v1.0");
  EXPECT_NE(tag.find("object " + sha), std::string::npos) << tag;
  EXPECT_NE(tag.find("tagger Alice <alice@example.com> 1700000000"), std::string::npos) << tag;
  EXPECT_NE(tag.find("Release 1.0"), std::string::npos);
  auto again = repo().create_annotated_tag("v1.0", sha, sig(1), "again");
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().status, 409);
  EXPECT_EQ(repo().create_annotated_tag("v2", std::string(40, '2'), sig(1), "m").error().code,
            "RevisionNotFound");
}

TEST_F(GitStoreTest, DeleteRefRemovesRefAndReportsMissing) {
  std::string sha = commit_on_main({{"a", "1"}});
  ASSERT_TRUE(repo().create_ref("refs/heads/dev", sha).has_value());
  ASSERT_TRUE(repo().delete_ref("refs/heads/dev").has_value());
  EXPECT_EQ(repo().ref_target("refs/heads/dev"), std::nullopt);
  auto again = repo().delete_ref("refs/heads/dev");
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().status, 404);
  EXPECT_EQ(again.error().code, "NotFound");
  EXPECT_EQ(again.error().message, "Reference not found");
}

// ---- history ----------------------------------------------------------------------------

TEST_F(GitStoreTest, LogListsNewestFirstWithOffsetAndLimit) {
  std::vector<std::string> shas;
  for (int i = 0; i < 5; ++i)
    shas.push_back(
        commit_on_main({{"f", std::to_string(i)}}, 1000 + i, "commit " + std::to_string(i)));
  std::string head = shas.back();
  auto all = repo().log(head, 0, 100);
  ASSERT_TRUE(all.has_value());
  ASSERT_EQ(all->size(), 5u);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ((*all)[i].id, shas[4 - i]);
    EXPECT_EQ((*all)[i].title, "commit " + std::to_string(4 - i));
  }
  auto page = repo().log(head, 1, 2);
  ASSERT_TRUE(page.has_value());
  ASSERT_EQ(page->size(), 2u);
  EXPECT_EQ((*page)[0].id, shas[3]);
  EXPECT_EQ((*page)[1].id, shas[2]);
  EXPECT_TRUE(repo().log(head, 5, 10)->empty());
  EXPECT_TRUE(repo().log(head, 0, 0)->empty());
  EXPECT_EQ(repo().log(std::string(40, '9'), 0, 1).error().code, "RevisionNotFound");
  // Agrees with git.
  std::string expected;
  for (int i = 4; i >= 0; --i) expected += shas[i] + "\n";
  EXPECT_EQ(git("rev-list " + head), expected);
}

TEST_F(GitStoreTest, CountCommitsCountsReachableCommits) {
  std::string first = commit_on_main({{"f", "1"}}, 1);
  std::string second = commit_on_main({{"f", "2"}}, 2);
  std::string side = commit_files(first, {{"g", "1"}}, 3);
  auto merge = repo().write_commit(repo().read_commit(second)->tree, {second, side}, sig(4), "m");
  ASSERT_TRUE(merge.has_value());
  EXPECT_EQ(repo().count_commits(first), 1u);
  EXPECT_EQ(repo().count_commits(second), 2u);
  EXPECT_EQ(repo().count_commits(*merge), 4u);
  EXPECT_EQ(repo().count_commits("main").error().code, "RevisionNotFound");
}

TEST_F(GitStoreTest, LastCommitsFindsMostRecentChangePerPath) {
  std::string c1 = commit_on_main({{"a", "1"}, {"b", "1"}, {"d/x", "1"}, {"e/y", "1"}}, 100);
  std::string c2 = commit_on_main({{"a", "2"}}, 200);
  std::string c3 = commit_on_main({{"c", "1"}}, 300);
  std::string c4 = commit_on_main({{"d/x", "2"}}, 400);
  auto found = repo().last_commits(c4, {"a", "b", "c", "d", "d/x", "e", "missing"});
  ASSERT_TRUE(found.has_value());
  std::map<std::string, std::string> ids;
  for (const auto& [path, info] : *found) ids[path] = info.id;
  EXPECT_EQ(ids, (std::map<std::string, std::string>{
                     {"a", c2}, {"b", c1}, {"c", c3}, {"d", c4}, {"d/x", c4}, {"e", c1}}));
  EXPECT_EQ(found->at("c").title, "update");
}

TEST_F(GitStoreTest, LastCommitsIgnoresCommitsThatDeletedThePath) {
  std::string c1 = commit_on_main({{"a", "1"}, {"b", "1"}}, 100);
  auto c2 = repo().commit_edits(c1, {del("b")}, sig(200), "rm b");
  ASSERT_TRUE(c2.has_value());
  // Asked from c2, "a" was last changed by c1; "b" is absent at c2 and in c1 it was added.
  auto found = repo().last_commits(*c2, {"a"});
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->at("a").id, c1);
}

TEST_F(GitStoreTest, LastCommitsStopsAfterMaxWalk) {
  std::string c1 = commit_on_main({{"a", "1"}, {"b", "1"}}, 100);
  std::string c2 = commit_on_main({{"a", "2"}}, 200);
  auto found = repo().last_commits(c2, {"a", "b"}, 1);
  ASSERT_TRUE(found.has_value());
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ(found->at("a").id, c2);
  EXPECT_EQ(repo().last_commits(std::string(40, '7'), {"a"}).error().code, "RevisionNotFound");
}

// ---- cross-check with git ---------------------------------------------------------------

TEST_F(GitStoreTest, GitCliAcceptsWhatCommitEditsWrote) {
  std::string first = commit_on_main({{"README.md", "# readme\n"}, {"src/main.py", "print(1)\n"}},
                                     1700000000, "Initial commit\n\nwith body\n");
  auto second = repo().commit_edits(first,
                                    {upsert("src/util.py", blob("x = 1\n")), del("README.md"),
                                     upsert("bin/run", blob("#!/bin/sh\n"), 0100755)},
                                    sig(1700000100), "Second");
  ASSERT_TRUE(second.has_value());
  ASSERT_TRUE(repo().update_ref("refs/heads/main", *second, first, "second").has_value());
  ASSERT_TRUE(
      repo().create_annotated_tag("v1", first, sig(1700000200), "first release").has_value());

  Shell fsck = run("git --git-dir=" + git_dir() + " fsck --strict --no-dangling");
  EXPECT_EQ(fsck.status, 0) << fsck.out;
  EXPECT_EQ(git("ls-tree -r --name-only main"), "bin/run\nsrc/main.py\nsrc/util.py\n");
  EXPECT_EQ(git("show main:src/util.py"), "x = 1\n");
  EXPECT_EQ(
      git("log --format=%H%x09%s%x09%an%x09%at main"),
      *second + "\tSecond\tAlice\t1700000100\n" + first + "\tInitial commit\tAlice\t1700000000\n");
  EXPECT_EQ(git("rev-parse v1^{commit}"), first + "\n");
  auto info = repo().read_commit(first);
  EXPECT_EQ(info->message, "Initial commit\n\nwith body");
}

}  // namespace
}  // namespace wharf::storage
