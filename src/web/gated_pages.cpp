// Gated repos in the browser: the form that asks for access (its questions from the card's
// extra_gated_fields) with the caller's current status, and the review page where the repo's
// writers accept, reject or reset requests and grant access.
#include <nlohmann/json.hpp>

#include "hub/gating.h"
#include "util/encoding.h"
#include "web/human_format.h"
#include "web/pages.h"
#include "web/repo_view.h"

namespace wharf::web {
namespace {

constexpr int64_t kRequestsPerPage = 50;

std::string access_path(const hub::RepoId& id, std::string_view page) {
  return repo_path(id) + "/" + std::string(page);
}

// The form's inputs are named "answer-<i>" after the i-th question, whose label may hold any
// character; the i-th answer is sent back under the question's label.
mstch::array question_inputs(const std::vector<hub::GateField>& fields, const PageCall& c) {
  mstch::array out;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const auto& f = fields[i];
    std::string name = "answer-" + std::to_string(i);
    std::string value = c.field(name);
    mstch::array options;
    for (const auto& o : f.options)
      options.push_back(mstch::map{{"value", o}, {"selected", o == value}});
    bool known = f.type == "checkbox" || f.type == "select" || f.type == "country" ||
                 f.type == "date_picker";
    out.push_back(mstch::map{{"label", f.label},
                             {"name", name},
                             {"value", value},
                             {"checked", !value.empty()},
                             {"options", options},
                             {"is_text", !known || (f.type == "select" && f.options.empty())},
                             {"is_checkbox", f.type == "checkbox"},
                             {"is_select", f.type == "select" && !f.options.empty()},
                             {"is_country", f.type == "country"},
                             {"is_date", f.type == "date_picker"}});
  }
  return out;
}

hub::GateAnswers answers_of(const std::vector<hub::GateField>& fields, const PageCall& c) {
  hub::GateAnswers out;
  for (std::size_t i = 0; i < fields.size(); ++i)
    out.emplace_back(fields[i].label, c.field("answer-" + std::to_string(i)));
  return out;
}

// The caller's standing: "accepted", "pending", "rejected", or "" (no request yet).
Result<std::string> request_status(PageCall& c, const RepoView& v) {
  auto request = WHARF_TRY(c.hub.db().find_access_request(v.repo.row.id, c.who.user->id));
  if (request) return request->status;
  return std::string(v.can_read_content ? "accepted" : "");
}

}  // namespace

Result<http::Response> request_access_page(PageCall& c, const PageRoute& r) {
  std::string here = access_path(r.repo, "request-access");
  if (!c.who.session) return redirect(c, "/login?next=" + percent_encode(here, true));
  auto v = WHARF_TRY(open_repo_view(c, r));
  if (v.repo.row.gated.empty()) return redirect(c, repo_path(v.repo.id));
  auto fields = hub::gate_fields(v.repo.row.card_data);
  auto ctx = repo_context(c, v, "card");
  ctx["title"] = "Request access · " + v.repo.id.full();
  ctx["action"] = c.base + here;
  ctx["questions"] = question_inputs(fields, c);
  ctx["has_questions"] = !fields.empty();
  ctx["files_href"] = c.base + repo_path(v.repo.id, "tree", v.rev);
  auto show = [&](std::optional<Error> e) -> Result<http::Response> {
    std::string status = WHARF_TRY(request_status(c, v));
    ctx["status"] = status;
    ctx["status_" + (status.empty() ? std::string("none") : status)] = true;
    if (!e) return render_page(c, "request_access", ctx);
    if (e->status == 500) return fail(*e);
    return render_error(c, "request_access", ctx, *e);
  };
  if (!c.is_post()) return show(std::nullopt);
  auto asked = hub::ask_access(c.hub, c.who, v.repo.id, answers_of(fields, c));
  if (!asked) return show(asked.error());
  return redirect(c, here);
}

namespace {

// The answers of a request as {label, value} rows (stored as a JSON object).
mstch::array answer_rows(const std::string& fields) {
  mstch::array out;
  auto json = nlohmann::json::parse(fields, nullptr, false);
  if (!json.is_object()) return out;
  for (const auto& [label, value] : json.items())
    out.push_back(mstch::map{
        {"label", label}, {"value", value.is_string() ? value.get<std::string>() : value.dump()}});
  return out;
}

mstch::map request_row(const PageCall& c, const storage::AccessRequestRow& req) {
  mstch::array moves;
  for (auto [to, label] :
       {std::pair{"accepted", "Accept"}, {"rejected", "Reject"}, {"pending", "Back to pending"}})
    if (req.status != to)
      moves.push_back(mstch::map{{"status", std::string(to)}, {"label", std::string(label)}});
  return mstch::map{{"user", req.user.name},
                    {"user_href", c.base + "/" + req.user.name},
                    {"asked", human_date(req.created_ms)},
                    {"updated", human_date(req.updated_ms)},
                    {"answers", answer_rows(req.fields)},
                    {"reason", req.reason},
                    {"moves", moves}};
}

// Applies a review form: "handle" moves one request, "grant" gives a user access.
Result<void> review(PageCall& c, const RepoView& v) {
  std::string action = c.field("action");
  if (action == "handle")
    return hub::handle_access_request(c.hub, c.who, v.repo.id, c.field("user"), c.field("status"),
                                      c.field("reason"));
  if (action == "grant") return hub::grant_access(c.hub, c.who, v.repo.id, c.field("user"));
  return fail(errors::bad_request("Unknown review action"));
}

int64_t page_offset(const QueryParams& q) {
  auto text = q.get("offset").value_or("0");
  int64_t n = 0;
  for (char ch : text) {
    if (ch < '0' || ch > '9' || n > (int64_t{1} << 40)) return 0;
    n = n * 10 + (ch - '0');
  }
  return n;
}

}  // namespace

Result<http::Response> access_requests_page(PageCall& c, const PageRoute& r) {
  std::string here = access_path(r.repo, "access-requests");
  if (c.is_post() && !c.who.session)
    return redirect(c, "/login?next=" + percent_encode(here, true));
  auto v = WHARF_TRY(open_repo_view(c, r, hub::Access::Write));
  auto ctx = repo_context(c, v, "access");
  ctx["title"] = "Access requests · " + v.repo.id.full();
  ctx["action"] = c.base + here;
  ctx["settings_href"] = c.base + repo_path(v.repo.id) + "/settings";
  if (v.repo.row.gated.empty()) return render_page(c, "access_requests", ctx);

  auto query = QueryParams::parse(c.req.query);
  std::string status = c.is_post() ? c.field("tab") : query.get("status").value_or("pending");
  if (!hub::is_request_status(status)) status = "pending";
  int64_t offset = c.is_post() ? 0 : page_offset(query);
  std::optional<Error> refused;
  if (c.is_post()) {
    if (auto done = review(c, v); done)
      return redirect(c, here + "?status=" + status);
    else
      refused = done.error();
  }
  auto requests = WHARF_TRY(
      hub::list_access_requests(c.hub, c.who, v.repo.id, status, offset, kRequestsPerPage + 1));
  bool more = static_cast<int64_t>(requests.size()) > kRequestsPerPage;
  if (more) requests.pop_back();
  mstch::array rows;
  for (const auto& req : requests) rows.push_back(request_row(c, req));
  ctx["gated"] = true;
  ctx["tab"] = status;
  ctx["tab_" + status] = true;
  ctx["requests"] = rows;
  ctx["has_requests"] = !rows.empty();
  ctx["tab_base"] = c.base + here + "?status=";
  if (more)
    ctx["next_href"] = c.base + here + "?status=" + status +
                       "&offset=" + std::to_string(offset + kRequestsPerPage);
  if (!refused) return render_page(c, "access_requests", ctx);
  if (refused->status == 500) return fail(*refused);
  return render_error(c, "access_requests", ctx, *refused);
}

}  // namespace wharf::web
