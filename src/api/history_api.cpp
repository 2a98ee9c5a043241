// Refs and commit history (spec §9.1, §9.4).
#include "api/context.h"
#include "util/time.h"

namespace wharf::api {
namespace {

constexpr std::size_t kDefaultCommitPage = 50;
constexpr std::size_t kMaxCommitPage = 1000;

std::string html_escape(const std::string& s) {
  std::string out;
  for (char ch : s) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += ch;
    }
  }
  return out;
}

Result<std::size_t> number_param(const QueryParams& q, const char* key, std::size_t fallback, std::size_t max) {
  auto v = q.get(key);
  if (!v || v->empty()) return fallback;
  std::size_t n = 0;
  if (v->size() > 9) return fail(errors::bad_request(std::string("Invalid ") + key));
  for (char ch : *v) {
    if (ch < '0' || ch > '9') return fail(errors::bad_request(std::string("Invalid ") + key));
    n = n * 10 + static_cast<std::size_t>(ch - '0');
  }
  return std::min(n, max);
}

nlohmann::json commit_json(const Call& c, const storage::CommitInfo& ci, bool formatted) {
  std::string body = ci.message.size() > ci.title.size() ? ci.message.substr(ci.title.size()) : "";
  while (!body.empty() && (body.front() == '\n' || body.front() == '\r')) body.erase(0, 1);
  nlohmann::json j = {{"id", ci.id},
                      {"title", ci.title},
                      {"message", body},
                      {"date", format_iso8601(ci.author.time_ms)},
                      {"authors", {{{"user", ci.author.name}, {"avatar", c.options.public_url + "/avatars/" + ci.author.name}}}}};
  if (formatted) j["formatted"] = {{"title", html_escape(ci.title)}, {"message", html_escape(body)}};
  return j;
}

}  // namespace

Result<http::Response> handle_refs(Call& c) {
  auto repo = WHARF_TRY(c.open(hub::Access::Read));
  bool prs = c.query.flag("include_prs");
  nlohmann::json branches = nlohmann::json::array(), tags = nlohmann::json::array(),
                 converts = nlohmann::json::array(), pulls = nlohmann::json::array();
  for (const auto& r : repo.git.list_refs()) {
    auto item = [&](std::size_t prefix) {
      return nlohmann::json{{"name", r.name.substr(prefix)}, {"ref", r.name}, {"targetCommit", r.target}};
    };
    if (r.name.starts_with("refs/heads/")) branches.push_back(item(11));
    else if (r.name.starts_with("refs/tags/")) tags.push_back(item(10));
    else if (r.name.starts_with("refs/convert/")) converts.push_back(item(13));
    else if (r.name.starts_with("refs/pr/")) pulls.push_back(item(8));
  }
  nlohmann::json out = {{"branches", branches}, {"converts", converts}, {"tags", tags}};
  if (prs) out["pullRequests"] = pulls;
  return json_response(out);
}

Result<http::Response> handle_commits(Call& c) {
  auto repo = WHARF_TRY(c.open(hub::Access::Read));
  auto head = WHARF_TRY(repo.git.resolve_revision(c.route.rev.empty() ? "HEAD" : c.route.rev));
  std::size_t limit = WHARF_TRY(number_param(c.query, "limit", kDefaultCommitPage, kMaxCommitPage));
  if (limit == 0) limit = kDefaultCommitPage;
  std::size_t page = WHARF_TRY(number_param(c.query, "p", 0, 100000000));
  std::size_t total = WHARF_TRY(repo.git.count_commits(head));
  auto commits = WHARF_TRY(repo.git.log(head, page * limit, limit));
  bool formatted = false;
  for (const auto& e : c.query.all("expand")) formatted |= e == "formatted";
  nlohmann::json out = nlohmann::json::array();
  for (const auto& ci : commits) out.push_back(commit_json(c, ci, formatted));
  auto res = json_response(out);
  res.headers.set("X-Total-Count", std::to_string(total));
  if ((page + 1) * limit < total)
    res.headers.set("Link", "<" + c.link_with("p", std::to_string(page + 1)) + ">; rel=\"next\"");
  return res;
}

}  // namespace wharf::api
