// .gitattributes and .gitignore pattern matching, as git does it (the subset the Hub uses).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace wharf::hub {

// git wildmatch of `pattern` against `path` with WM_PATHNAME semantics: '*' and '?' do not
// cross '/', "**" does, character classes [a-z] and [!x]. A pattern without '/' matches
// the basename at any depth; with a '/' (not trailing) it is anchored at the root.
bool git_pattern_matches(std::string_view pattern, std::string_view path);

class GitAttributes {
 public:
  explicit GitAttributes(std::string_view text);
  // True when the last matching line for `path` sets filter=lfs (and no later line unsets it
  // with -filter or filter=<other>).
  bool is_lfs(std::string_view path) const;
  // `text` plus a line "<escaped path> filter=lfs diff=lfs merge=lfs -text" (spaces in the
  // path escaped as [[:space:]]), ensuring a newline before it.
  static std::string with_lfs_rule(std::string_view text, std::string_view path);

 private:
  struct Line { std::string pattern; int lfs; };  // lfs: 1 set, 0 unset, -1 untouched
  std::vector<Line> lines_;
};

class GitIgnore {
 public:
  explicit GitIgnore(std::string_view text);
  // True when `path` (a file) is ignored: the last matching pattern decides, '!' negates,
  // a trailing '/' matches directories only (here: any parent directory of the path),
  // '#' comments and blank lines are skipped.
  bool ignored(std::string_view path) const;

 private:
  struct Rule { std::string pattern; bool negate; bool dir_only; };
  std::vector<Rule> rules_;
};

// The .gitattributes of a new repo (spec §4.1): the Hub's usual LFS patterns.
std::string_view default_gitattributes();

}  // namespace wharf::hub
