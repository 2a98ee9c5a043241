#include "hub/path_patterns.h"

#include <cctype>

namespace wharf::hub {
namespace {

// A port of git's wildmatch (wildmatch.c) with WM_PATHNAME always on. The two abort results
// let a failing '*' stop every enclosing '*' from retrying, which keeps matching polynomial.
enum class Wm { Match, NoMatch, AbortAll, AbortToStarStar };

// Each '*' group recurses once; a pattern with more groups than this is refused rather than
// risking the stack (no real pattern comes close).
constexpr int kMaxStarDepth = 64;

class WildMatcher {
 public:
  WildMatcher(std::string_view pattern, std::string_view text) : p_(pattern), t_(text) {}
  bool matches() { return match(0, 0, 0) == Wm::Match; }

 private:
  // The byte at i, or '\0' past the end (the C code's terminator).
  static unsigned char at(std::string_view s, std::size_t i) {
    return i < s.size() ? static_cast<unsigned char>(s[i]) : '\0';
  }
  static bool is_glob_special(unsigned char c) {
    return c == '*' || c == '?' || c == '[' || c == '\\';
  }

  Wm match(std::size_t p, std::size_t t, int depth);
  Wm star(std::size_t& p, std::size_t& t, int depth, bool& done);
  Wm bracket(std::size_t& p, unsigned char t_ch);
  static bool in_named_class(std::string_view name, unsigned char c, bool& known);

  std::string_view p_;
  std::string_view t_;
};

Wm WildMatcher::match(std::size_t p, std::size_t t, int depth) {
  if (depth > kMaxStarDepth) return Wm::AbortAll;
  for (; p < p_.size(); ++t, ++p) {
    unsigned char p_ch = at(p_, p);
    unsigned char t_ch = at(t_, t);
    if (t >= t_.size() && p_ch != '*') return Wm::AbortAll;
    switch (p_ch) {
      case '\\':
        p_ch = at(p_, ++p);  // a literal; a trailing '\' matches nothing
        if (p >= p_.size() || t_ch != p_ch) return Wm::NoMatch;
        break;
      case '?':
        if (t_ch == '/') return Wm::NoMatch;
        break;
      case '*': {
        bool done = false;
        Wm r = star(p, t, depth, done);
        if (done) return r;
        break;  // "*/": p and t both sit on a '/', which the loop step consumes
      }
      case '[': {
        Wm r = bracket(p, t_ch);
        if (r != Wm::Match) return r;
        break;
      }
      default:
        if (t_ch != p_ch) return Wm::NoMatch;
        break;
    }
  }
  return t < t_.size() ? Wm::NoMatch : Wm::Match;
}

// Handles the '*' or '**' at p. Sets `done` when the result of the whole match is known.
Wm WildMatcher::star(std::size_t& p, std::size_t& t, int depth, bool& done) {
  done = true;
  bool match_slash = false;
  if (at(p_, ++p) == '*') {
    std::size_t prev = p - 1;  // index of the first '*'
    while (at(p_, ++p) == '*') {
    }
    unsigned char next = at(p_, p);
    bool after_slash = prev == 0 || p_[prev - 1] == '/';
    bool before_slash = next == '\0' || next == '/' || (next == '\\' && at(p_, p + 1) == '/');
    if (after_slash && before_slash) {
      // "**/" may match no directory at all: "a/**/b" matches "a/b".
      if (next == '/' && match(p + 1, t, depth + 1) == Wm::Match) return Wm::Match;
      match_slash = true;
    }
  }
  if (p >= p_.size()) {
    // A trailing "**" matches everything; a trailing '*' only what has no more '/'.
    if (!match_slash && t_.find('/', t) != std::string_view::npos) return Wm::NoMatch;
    return Wm::Match;
  }
  if (!match_slash && at(p_, p) == '/') {
    // One '*' then '/': skip to the next directory separator.
    std::size_t slash = t_.find('/', t);
    if (slash == std::string_view::npos) return Wm::NoMatch;
    t = slash;
    done = false;
    return Wm::NoMatch;
  }
  for (unsigned char t_ch = at(t_, t); t_ch != '\0'; t_ch = at(t_, ++t)) {
    // Before a literal, jump to its next occurrence (not past a '/' for a single '*').
    if (!is_glob_special(at(p_, p))) {
      unsigned char p_ch = at(p_, p);
      while ((t_ch = at(t_, t)) != '\0' && (match_slash || t_ch != '/') && t_ch != p_ch) ++t;
      if (t_ch != p_ch) {
        // git returns NoMatch here, which lets every enclosing '*' retry every position:
        // exponential in the number of stars. The result the unoptimized loop would reach
        // (stopped at '/': AbortToStarStar; at the end: AbortAll) has the same meaning and
        // prunes those retries.
        return t_ch == '/' ? Wm::AbortToStarStar : Wm::AbortAll;
      }
    }
    Wm r = match(p, t, depth + 1);
    if (r != Wm::NoMatch) {
      if (!match_slash || r != Wm::AbortToStarStar) return r;
    } else if (!match_slash && t_ch == '/') {
      return Wm::AbortToStarStar;
    }
  }
  return Wm::AbortAll;
}

bool WildMatcher::in_named_class(std::string_view name, unsigned char c, bool& known) {
  known = true;
  if (name == "alnum") return std::isalnum(c);
  if (name == "alpha") return std::isalpha(c);
  if (name == "blank") return c == ' ' || c == '\t';
  if (name == "cntrl") return std::iscntrl(c);
  if (name == "digit") return std::isdigit(c);
  if (name == "graph") return std::isgraph(c);
  if (name == "lower") return std::islower(c);
  if (name == "print") return std::isprint(c);
  if (name == "punct") return std::ispunct(c);
  if (name == "space") return std::isspace(c);  // how .gitattributes spells a path's spaces
  if (name == "upper") return std::isupper(c);
  if (name == "xdigit") return std::isxdigit(c);
  known = false;
  return false;
}

// Matches the class starting at p ('['), leaving p on its closing ']'.
Wm WildMatcher::bracket(std::size_t& p, unsigned char t_ch) {
  unsigned char p_ch = at(p_, ++p);
  if (p_ch == '^') p_ch = '!';
  bool negated = p_ch == '!';
  if (negated) p_ch = at(p_, ++p);
  unsigned char prev_ch = 0;
  bool matched = false;
  do {
    if (p_ch == '\0') return Wm::AbortAll;  // unterminated class
    if (p_ch == '\\') {
      p_ch = at(p_, ++p);
      if (p_ch == '\0') return Wm::AbortAll;
      if (t_ch == p_ch) matched = true;
    } else if (p_ch == '-' && prev_ch != 0 && at(p_, p + 1) != '\0' && at(p_, p + 1) != ']') {
      p_ch = at(p_, ++p);
      if (p_ch == '\\') {
        p_ch = at(p_, ++p);
        if (p_ch == '\0') return Wm::AbortAll;
      }
      if (t_ch <= p_ch && t_ch >= prev_ch) matched = true;
      p_ch = 0;  // a range end cannot start another range
    } else if (p_ch == '[' && at(p_, p + 1) == ':') {
      std::size_t name_start = p + 2;
      std::size_t close = p_.find(']', name_start);
      if (close == std::string_view::npos) return Wm::AbortAll;
      if (close == name_start || p_[close - 1] != ':') {
        // Not "[:name:]": a literal '['.
        if (t_ch == '[') matched = true;
        p_ch = '[';
      } else {
        bool known = false;
        if (in_named_class(p_.substr(name_start, close - 1 - name_start), t_ch, known))
          matched = true;
        if (!known) return Wm::AbortAll;
        p = close;
        p_ch = 0;
      }
    } else if (t_ch == p_ch) {
      matched = true;
    }
    prev_ch = p_ch;
    p_ch = at(p_, ++p);
  } while (p_ch != ']');
  if (matched == negated || t_ch == '/') return Wm::NoMatch;
  return Wm::Match;
}

// Lines of `text` without their "\n" or "\r\n".
template <typename F>
void for_each_line(std::string_view text, F&& f) {
  while (!text.empty()) {
    std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    if (line.ends_with('\r')) line.remove_suffix(1);
    f(line);
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
}

bool is_blank(char c) { return c == ' ' || c == '\t'; }

// The first field of a .gitattributes line: a "C-quoted" pattern or up to the first blank.
std::string take_pattern(std::string_view& line) {
  std::string pattern;
  if (line.starts_with('"')) {
    std::size_t i = 1;
    for (; i < line.size() && line[i] != '"'; ++i) {
      if (line[i] == '\\' && i + 1 < line.size()) {
        char c = line[++i];
        pattern.push_back(c == 't' ? '\t' : c == 'n' ? '\n' : c);
      } else {
        pattern.push_back(line[i]);
      }
    }
    line.remove_prefix(i < line.size() ? i + 1 : i);
    return pattern;
  }
  std::size_t i = 0;
  while (i < line.size() && !is_blank(line[i])) ++i;
  pattern = std::string(line.substr(0, i));
  line.remove_prefix(i);
  return pattern;
}

// 1 for filter=lfs, 0 for any other state of "filter" (unset, unspecified, another driver).
int filter_state(std::string_view attr) {
  if (attr == "filter=lfs") return 1;
  if (attr == "-filter" || attr == "!filter" || attr == "filter" || attr.starts_with("filter="))
    return 0;
  return -1;
}

}  // namespace

bool git_pattern_matches(std::string_view pattern, std::string_view path) {
  std::string_view body = pattern;
  bool anchored = false;
  if (body.starts_with('/')) {
    body.remove_prefix(1);
    anchored = true;
  } else {
    std::size_t slash = body.find('/');
    anchored = slash != std::string_view::npos && slash + 1 < body.size();
  }
  if (!anchored) {
    std::size_t last = path.rfind('/');
    if (last != std::string_view::npos) path.remove_prefix(last + 1);
  }
  return WildMatcher(body, path).matches();
}

GitAttributes::GitAttributes(std::string_view text) {
  for_each_line(text, [this](std::string_view line) {
    while (!line.empty() && is_blank(line.front())) line.remove_prefix(1);
    if (line.empty() || line.front() == '#' || line.starts_with("[attr]")) return;
    std::string pattern = take_pattern(line);
    // git ignores negative patterns in attributes files (with a warning).
    if (pattern.empty() || pattern.front() == '!') return;
    int lfs = -1;
    while (!line.empty()) {
      while (!line.empty() && is_blank(line.front())) line.remove_prefix(1);
      std::size_t end = 0;
      while (end < line.size() && !is_blank(line[end])) ++end;
      int state = filter_state(line.substr(0, end));
      if (state != -1) lfs = state;
      line.remove_prefix(end);
    }
    lines_.push_back({std::move(pattern), lfs});
  });
}

bool GitAttributes::is_lfs(std::string_view path) const {
  for (auto it = lines_.rbegin(); it != lines_.rend(); ++it) {
    if (it->lfs != -1 && git_pattern_matches(it->pattern, path)) return it->lfs == 1;
  }
  return false;
}

std::string GitAttributes::with_lfs_rule(std::string_view text, std::string_view path) {
  std::string escaped;
  // A leading '#', '!' or '"' would make a comment, a negative or a quoted pattern.
  if (!path.empty() && (path.front() == '#' || path.front() == '!' || path.front() == '"')) {
    escaped.push_back('\\');
  }
  for (char c : path) {
    if (c == ' ') {
      escaped += "[[:space:]]";
    } else {
      if (c == '*' || c == '?' || c == '[' || c == '\\') escaped.push_back('\\');
      escaped.push_back(c);
    }
  }
  std::string out(text);
  if (!out.empty() && out.back() != '\n') out.push_back('\n');
  out += escaped;
  out += " filter=lfs diff=lfs merge=lfs -text\n";
  return out;
}

GitIgnore::GitIgnore(std::string_view text) {
  for_each_line(text, [this](std::string_view line) {
    if (line.empty() || line.front() == '#') return;
    // Trailing spaces are dropped unless escaped ("a\ ").
    while (line.ends_with(' ') && !(line.size() >= 2 && line[line.size() - 2] == '\\')) {
      line.remove_suffix(1);
    }
    Rule rule{"", false, false};
    if (line.starts_with('!')) {
      rule.negate = true;
      line.remove_prefix(1);
    }
    if (line.ends_with('/')) {
      rule.dir_only = true;
      line.remove_suffix(1);
    }
    if (line.empty()) return;
    rule.pattern = std::string(line);
    rules_.push_back(std::move(rule));
  });
}

bool GitIgnore::ignored(std::string_view path) const {
  // The last matching rule decides for one path (a directory or the file itself).
  auto excluded = [this](std::string_view p, bool is_dir) {
    for (auto it = rules_.rbegin(); it != rules_.rend(); ++it) {
      if (it->dir_only && !is_dir) continue;
      if (git_pattern_matches(it->pattern, p)) return !it->negate;
    }
    return false;
  };
  // Directories first: git never looks inside an excluded directory, so a file below one
  // stays ignored even when a later '!' rule names it.
  for (std::size_t slash = path.find('/'); slash != std::string_view::npos;
       slash = path.find('/', slash + 1)) {
    if (excluded(path.substr(0, slash), true)) return true;
  }
  return excluded(path, false);
}

std::string_view default_gitattributes() {
  return "*.7z filter=lfs diff=lfs merge=lfs -text\n"
         "*.arrow filter=lfs diff=lfs merge=lfs -text\n"
         "*.bin filter=lfs diff=lfs merge=lfs -text\n"
         "*.bz2 filter=lfs diff=lfs merge=lfs -text\n"
         "*.ckpt filter=lfs diff=lfs merge=lfs -text\n"
         "*.ftz filter=lfs diff=lfs merge=lfs -text\n"
         "*.gz filter=lfs diff=lfs merge=lfs -text\n"
         "*.h5 filter=lfs diff=lfs merge=lfs -text\n"
         "*.joblib filter=lfs diff=lfs merge=lfs -text\n"
         "*.lfs.* filter=lfs diff=lfs merge=lfs -text\n"
         "*.mlmodel filter=lfs diff=lfs merge=lfs -text\n"
         "*.model filter=lfs diff=lfs merge=lfs -text\n"
         "*.msgpack filter=lfs diff=lfs merge=lfs -text\n"
         "*.npy filter=lfs diff=lfs merge=lfs -text\n"
         "*.npz filter=lfs diff=lfs merge=lfs -text\n"
         "*.onnx filter=lfs diff=lfs merge=lfs -text\n"
         "*.ot filter=lfs diff=lfs merge=lfs -text\n"
         "*.parquet filter=lfs diff=lfs merge=lfs -text\n"
         "*.pb filter=lfs diff=lfs merge=lfs -text\n"
         "*.pickle filter=lfs diff=lfs merge=lfs -text\n"
         "*.pkl filter=lfs diff=lfs merge=lfs -text\n"
         "*.pt filter=lfs diff=lfs merge=lfs -text\n"
         "*.pth filter=lfs diff=lfs merge=lfs -text\n"
         "*.rar filter=lfs diff=lfs merge=lfs -text\n"
         "*.safetensors filter=lfs diff=lfs merge=lfs -text\n"
         "saved_model/**/* filter=lfs diff=lfs merge=lfs -text\n"
         "*.tar.* filter=lfs diff=lfs merge=lfs -text\n"
         "*.tar filter=lfs diff=lfs merge=lfs -text\n"
         "*.tflite filter=lfs diff=lfs merge=lfs -text\n"
         "*.tgz filter=lfs diff=lfs merge=lfs -text\n"
         "*.wasm filter=lfs diff=lfs merge=lfs -text\n"
         "*.xz filter=lfs diff=lfs merge=lfs -text\n"
         "*.zip filter=lfs diff=lfs merge=lfs -text\n"
         "*.zst filter=lfs diff=lfs merge=lfs -text\n"
         "*tfevents* filter=lfs diff=lfs merge=lfs -text\n";
}

}  // namespace wharf::hub
