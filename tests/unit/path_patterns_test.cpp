#include "hub/path_patterns.h"

#include <gtest/gtest.h>

#include <chrono>

namespace wharf::hub {
namespace {

// ---- wildmatch ----

TEST(GitPattern, PatternWithoutSlashMatchesBasenameAtAnyDepth) {
  EXPECT_TRUE(git_pattern_matches("*.bin", "model.bin"));
  EXPECT_TRUE(git_pattern_matches("*.bin", "a/b/c.bin"));
  EXPECT_TRUE(git_pattern_matches("README.md", "docs/README.md"));
  EXPECT_FALSE(git_pattern_matches("*.bin", "model.bin.txt"));
  EXPECT_FALSE(git_pattern_matches("*.bin", "bin"));
}

TEST(GitPattern, PatternWithSlashIsAnchoredAtTheRoot) {
  EXPECT_TRUE(git_pattern_matches("data/*.csv", "data/x.csv"));
  EXPECT_FALSE(git_pattern_matches("data/*.csv", "sub/data/x.csv"));
  EXPECT_TRUE(git_pattern_matches("/top.txt", "top.txt"));
  EXPECT_FALSE(git_pattern_matches("/top.txt", "a/top.txt"));
}

TEST(GitPattern, SingleStarAndQuestionMarkDoNotCrossSlash) {
  EXPECT_FALSE(git_pattern_matches("data/*.csv", "data/sub/x.csv"));
  EXPECT_TRUE(git_pattern_matches("a/?/c", "a/b/c"));
  EXPECT_FALSE(git_pattern_matches("a?b", "a/b"));
  EXPECT_TRUE(git_pattern_matches("a/*/c", "a/b/c"));
  EXPECT_FALSE(git_pattern_matches("a/*/c", "a/b/x/c"));
}

TEST(GitPattern, DoubleStarSlashMatchesZeroOrMoreDirectories) {
  EXPECT_TRUE(git_pattern_matches("**/foo", "foo"));
  EXPECT_TRUE(git_pattern_matches("**/foo", "a/b/foo"));
  EXPECT_TRUE(git_pattern_matches("a/**/b", "a/b"));
  EXPECT_TRUE(git_pattern_matches("a/**/b", "a/x/b"));
  EXPECT_TRUE(git_pattern_matches("a/**/b", "a/x/y/b"));
  EXPECT_FALSE(git_pattern_matches("a/**/b", "a/xb"));
  EXPECT_TRUE(git_pattern_matches("saved_model/**/*", "saved_model/x"));
  EXPECT_TRUE(git_pattern_matches("saved_model/**/*", "saved_model/x/y"));
  EXPECT_FALSE(git_pattern_matches("saved_model/**/*", "other/saved_model/x"));
}

TEST(GitPattern, TrailingDoubleStarMatchesEverythingInside) {
  EXPECT_TRUE(git_pattern_matches("abc/**", "abc/x"));
  EXPECT_TRUE(git_pattern_matches("abc/**", "abc/x/y/z"));
  EXPECT_FALSE(git_pattern_matches("abc/**", "abc"));
  EXPECT_FALSE(git_pattern_matches("abc/**", "xabc/y"));
}

TEST(GitPattern, DoubleStarNotBetweenSlashesActsAsSingleStar) {
  EXPECT_TRUE(git_pattern_matches("a**b", "axxb"));
  EXPECT_FALSE(git_pattern_matches("a/x**/b", "a/x/y/b"));
}

TEST(GitPattern, CharacterClasses) {
  EXPECT_TRUE(git_pattern_matches("file[0-9].txt", "file7.txt"));
  EXPECT_FALSE(git_pattern_matches("file[0-9].txt", "filex.txt"));
  EXPECT_TRUE(git_pattern_matches("file[!0-9].txt", "filex.txt"));
  EXPECT_TRUE(git_pattern_matches("file[^0-9].txt", "filex.txt"));
  EXPECT_FALSE(git_pattern_matches("file[!0-9].txt", "file1.txt"));
  EXPECT_TRUE(git_pattern_matches("[]]", "]"));
  EXPECT_TRUE(git_pattern_matches("[a-]", "-"));
  EXPECT_TRUE(git_pattern_matches("x[[:digit:][:upper:]]", "xQ"));
  EXPECT_FALSE(git_pattern_matches("a[/]b", "a/b"));
  EXPECT_FALSE(git_pattern_matches("[unterminated", "u"));
  EXPECT_FALSE(git_pattern_matches("[[:bogus:]]", "b"));
}

TEST(GitPattern, SpaceClassMatchesSpacesInPaths) {
  EXPECT_TRUE(git_pattern_matches("my[[:space:]]file.bin", "my file.bin"));
  EXPECT_TRUE(
      git_pattern_matches("dir[[:space:]]name/big[[:space:]]file.dat", "dir name/big file.dat"));
  EXPECT_FALSE(git_pattern_matches("my[[:space:]]file.bin", "my_file.bin"));
}

TEST(GitPattern, BackslashEscapesMetacharacters) {
  EXPECT_TRUE(git_pattern_matches("a\\*b", "a*b"));
  EXPECT_FALSE(git_pattern_matches("a\\*b", "axb"));
  EXPECT_TRUE(git_pattern_matches("\\[x\\]", "[x]"));
  EXPECT_FALSE(git_pattern_matches("trailing\\", "trailing\\"));
}

TEST(GitPattern, ManyStarsDoNotBacktrackExponentially) {
  std::string path(200, 'a');
  auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(git_pattern_matches("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", path));
  EXPECT_FALSE(git_pattern_matches("**/*a*a*a*a*a*a*a*a*a*a*a*a/b", path + "/" + path));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
}

// ---- .gitattributes ----

TEST(GitAttributes, DefaultsSendModelFilesToLfs) {
  GitAttributes attrs(default_gitattributes());
  EXPECT_TRUE(attrs.is_lfs("model.safetensors"));
  EXPECT_TRUE(attrs.is_lfs("a/b/c.bin"));
  EXPECT_TRUE(attrs.is_lfs("pytorch_model.pt"));
  EXPECT_TRUE(attrs.is_lfs("data/train-00000-of-00001.parquet"));
  EXPECT_TRUE(attrs.is_lfs("archive.tar.gz"));
  EXPECT_TRUE(attrs.is_lfs("runs/events.out.tfevents.1700000000.host"));
  EXPECT_TRUE(attrs.is_lfs("saved_model/x/y"));
  EXPECT_TRUE(attrs.is_lfs("saved_model/variables.index"));
  EXPECT_TRUE(attrs.is_lfs("tokenizer.model"));
}

TEST(GitAttributes, DefaultsKeepTextFilesRegular) {
  GitAttributes attrs(default_gitattributes());
  EXPECT_FALSE(attrs.is_lfs("README.md"));
  EXPECT_FALSE(attrs.is_lfs("config.json"));
  EXPECT_FALSE(attrs.is_lfs(".gitattributes"));
  EXPECT_FALSE(attrs.is_lfs("tokenizer.json"));
  EXPECT_FALSE(attrs.is_lfs("binary.txt"));
  EXPECT_FALSE(attrs.is_lfs("sub/saved_model/x"));  // the pattern is anchored
}

TEST(GitAttributes, DefaultsAreTheUsualHubFile) {
  std::string_view text = default_gitattributes();
  EXPECT_EQ(text.substr(0, 41), "*.7z filter=lfs diff=lfs merge=lfs -text\n");
  EXPECT_TRUE(text.ends_with("*tfevents* filter=lfs diff=lfs merge=lfs -text\n"));
  EXPECT_NE(text.find("\nsaved_model/**/* filter=lfs diff=lfs merge=lfs -text\n"),
            std::string_view::npos);
  std::size_t lines = 0;
  for (char c : text) lines += c == '\n';
  EXPECT_EQ(lines, 35u);
}

TEST(GitAttributes, LaterUnsetWinsOverEarlierLfs) {
  std::string text = std::string(default_gitattributes()) +
                     "small.bin -filter -diff -merge text\n"
                     "keep/*.pt filter=other\n"
                     "unspec.bin !filter\n";
  GitAttributes attrs(text);
  EXPECT_FALSE(attrs.is_lfs("small.bin"));
  EXPECT_FALSE(attrs.is_lfs("sub/small.bin"));
  EXPECT_TRUE(attrs.is_lfs("large.bin"));
  EXPECT_FALSE(attrs.is_lfs("keep/a.pt"));
  EXPECT_TRUE(attrs.is_lfs("other/a.pt"));
  EXPECT_FALSE(attrs.is_lfs("unspec.bin"));
}

TEST(GitAttributes, LinesThatDoNotMentionFilterDoNotOverride) {
  GitAttributes attrs("*.bin filter=lfs diff=lfs merge=lfs -text\n*.bin -diff\n*.bin binary\n");
  EXPECT_TRUE(attrs.is_lfs("x.bin"));
}

TEST(GitAttributes, LaterLfsRuleOverridesEarlierUnset) {
  GitAttributes attrs("*.dat -filter\nbig.dat filter=lfs\n");
  EXPECT_TRUE(attrs.is_lfs("big.dat"));
  EXPECT_FALSE(attrs.is_lfs("small.dat"));
}

TEST(GitAttributes, SkipsCommentsBlanksMacrosNegativesAndCrlf) {
  GitAttributes attrs(
      "# comment *.txt filter=lfs\r\n"
      "\r\n"
      "[attr]big filter=lfs\r\n"
      "!*.md filter=lfs\r\n"
      "   *.dat\tfilter=lfs  diff=lfs\r\n");
  EXPECT_FALSE(attrs.is_lfs("a.txt"));
  EXPECT_FALSE(attrs.is_lfs("README.md"));
  EXPECT_TRUE(attrs.is_lfs("x.dat"));
}

TEST(GitAttributes, QuotedPatternsAreUnquoted) {
  GitAttributes attrs("\"my file.bin\" filter=lfs diff=lfs merge=lfs -text\n");
  EXPECT_TRUE(attrs.is_lfs("my file.bin"));
}

TEST(GitAttributes, TrailingSlashPatternMatchesNoFile) {
  GitAttributes attrs("data/ filter=lfs\n");
  EXPECT_FALSE(attrs.is_lfs("data/x.csv"));
}

TEST(GitAttributes, WithLfsRuleEscapesSpacesAndAppendsOneLine) {
  std::string text = GitAttributes::with_lfs_rule("*.bin filter=lfs diff=lfs merge=lfs -text",
                                                  "my dir/big file.dat");
  EXPECT_EQ(text,
            "*.bin filter=lfs diff=lfs merge=lfs -text\n"
            "my[[:space:]]dir/big[[:space:]]file.dat filter=lfs diff=lfs merge=lfs -text\n");
  EXPECT_TRUE(GitAttributes(text).is_lfs("my dir/big file.dat"));
  EXPECT_FALSE(GitAttributes(text).is_lfs("my dir/big file.data"));
}

TEST(GitAttributes, WithLfsRuleOnEmptyTextAddsNoBlankLine) {
  EXPECT_EQ(GitAttributes::with_lfs_rule("", "x.dat"),
            "x.dat filter=lfs diff=lfs merge=lfs -text\n");
  EXPECT_EQ(GitAttributes::with_lfs_rule("a\n", "x.dat"),
            "a\nx.dat filter=lfs diff=lfs merge=lfs -text\n");
}

TEST(GitAttributes, WithLfsRuleMatchesOnlyThatPathDespiteMetacharacters) {
  for (std::string_view path :
       {"weird[1]*?.dat", "#hash.dat", "!bang.dat", "back\\slash.dat", "\"q.dat"}) {
    std::string text = GitAttributes::with_lfs_rule("", path);
    GitAttributes attrs(text);
    EXPECT_TRUE(attrs.is_lfs(path)) << text;
  }
  EXPECT_FALSE(
      GitAttributes(GitAttributes::with_lfs_rule("", "weird[1]*?.dat")).is_lfs("weird1xy.dat"));
}

// ---- .gitignore ----

TEST(GitIgnore, LastMatchingPatternDecidesAndNegationReincludes) {
  GitIgnore ignore("*.log\n!keep.log\n");
  EXPECT_TRUE(ignore.ignored("debug.log"));
  EXPECT_TRUE(ignore.ignored("sub/debug.log"));
  EXPECT_FALSE(ignore.ignored("keep.log"));
  EXPECT_FALSE(ignore.ignored("sub/keep.log"));
  EXPECT_FALSE(ignore.ignored("notes.txt"));
}

TEST(GitIgnore, NegationBeforeTheRuleDoesNotWin) {
  GitIgnore ignore("!keep.log\n*.log\n");
  EXPECT_TRUE(ignore.ignored("keep.log"));
}

TEST(GitIgnore, TrailingSlashMatchesOnlyDirectories) {
  GitIgnore ignore("build/\n");
  EXPECT_TRUE(ignore.ignored("build/out.o"));
  EXPECT_TRUE(ignore.ignored("src/build/out.o"));
  EXPECT_FALSE(ignore.ignored("build"));  // a file named build
  EXPECT_FALSE(ignore.ignored("builder/x"));
}

TEST(GitIgnore, FileInsideExcludedDirectoryCannotBeReincluded) {
  GitIgnore ignore("logs/\n!logs/important.txt\n");
  EXPECT_TRUE(ignore.ignored("logs/important.txt"));
}

TEST(GitIgnore, ReincludedDirectoryContentStaysIncluded) {
  GitIgnore ignore("data/*\n!data/keep/\n");
  EXPECT_TRUE(ignore.ignored("data/x.csv"));
  EXPECT_FALSE(ignore.ignored("data/keep/x.csv"));
}

TEST(GitIgnore, PatternWithSlashIsAnchored) {
  GitIgnore ignore("/secret.txt\ndocs/tmp\n");
  EXPECT_TRUE(ignore.ignored("secret.txt"));
  EXPECT_FALSE(ignore.ignored("a/secret.txt"));
  EXPECT_TRUE(ignore.ignored("docs/tmp"));
  EXPECT_TRUE(ignore.ignored("docs/tmp/file"));
  EXPECT_FALSE(ignore.ignored("x/docs/tmp"));
}

TEST(GitIgnore, NonDirectoryPatternAlsoMatchesDirectories) {
  GitIgnore ignore("__pycache__\n");
  EXPECT_TRUE(ignore.ignored("pkg/__pycache__/mod.cpython-311.pyc"));
}

TEST(GitIgnore, CommentsBlanksTrailingSpacesAndEscapes) {
  GitIgnore ignore("# a comment\n\n*.tmp   \n\\#hash\n\\!bang\nspace\\ \r\n");
  EXPECT_FALSE(ignore.ignored("# a comment"));
  EXPECT_TRUE(ignore.ignored("x.tmp"));
  EXPECT_TRUE(ignore.ignored("#hash"));
  EXPECT_TRUE(ignore.ignored("!bang"));
  EXPECT_TRUE(ignore.ignored("space "));
  EXPECT_FALSE(ignore.ignored("space"));
}

TEST(GitIgnore, DoubleStarPatterns) {
  GitIgnore ignore("**/checkpoints/**\nlogs/**/*.txt\n");
  EXPECT_TRUE(ignore.ignored("checkpoints/step1/model.bin"));
  EXPECT_TRUE(ignore.ignored("runs/a/checkpoints/x"));
  EXPECT_TRUE(ignore.ignored("logs/a.txt"));
  EXPECT_TRUE(ignore.ignored("logs/a/b/c.txt"));
  EXPECT_FALSE(ignore.ignored("logs/a/b/c.csv"));
}

TEST(GitIgnore, EmptyIgnoresNothing) {
  EXPECT_FALSE(GitIgnore("").ignored("anything"));
  EXPECT_FALSE(GitIgnore("\n#\n").ignored("anything"));
}

}  // namespace
}  // namespace wharf::hub
