#include "web/code_html.h"

namespace wharf::web {
namespace {

void append_escaped(std::string& out, std::string_view s) {
  for (char ch : s) {
    switch (ch) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += ch;
    }
  }
}

void append_number_cell(std::string& out, int no) {
  out += "<td class=\"ln\">";
  if (no > 0) out += std::to_string(no);
  out += "</td>";
}

const char* line_class(char origin) {
  switch (origin) {
    case '+':
      return "add";
    case '-':
      return "del";
    case '\\':
      return "eof";
    default:
      return "ctx";
  }
}

}  // namespace

std::string escape_html(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  append_escaped(out, s);
  return out;
}

std::string numbered_lines_html(std::string_view text, std::size_t& line_count) {
  std::string out;
  out.reserve(text.size() * 2);
  line_count = 0;
  for (std::size_t start = 0; start < text.size();) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (line.ends_with('\r')) line.remove_suffix(1);
    std::string no = std::to_string(++line_count);
    out += "<tr id=\"L" + no + "\"><td class=\"ln\"><a href=\"#L" + no + "\">" + no +
           "</a></td><td class=\"text\">";
    append_escaped(out, line);
    out += "</td></tr>\n";
    start = end + 1;
  }
  return out;
}

std::string diff_hunks_html(const storage::FileDiff& f) {
  std::string out;
  for (const auto& h : f.hunks) {
    out +=
        "<tbody>\n<tr class=\"hunk\"><td class=\"ln\"></td><td class=\"ln\"></td><td "
        "class=\"text\">";
    append_escaped(out, h.header);
    out += "</td></tr>\n";
    for (const auto& l : h.lines) {
      out += "<tr class=\"";
      out += line_class(l.origin);
      out += "\">";
      append_number_cell(out, l.old_no);
      append_number_cell(out, l.new_no);
      out += "<td class=\"text\">";
      if (l.origin != '\\') out += l.origin;
      append_escaped(out, l.text);
      out += "</td></tr>\n";
    }
    out += "</tbody>\n";
  }
  return out;
}

}  // namespace wharf::web
