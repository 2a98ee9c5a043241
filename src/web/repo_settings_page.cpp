// A repo's settings, for its admins: visibility, gating, discussions on or off, rename or
// move, delete. Each form
// posts to the same URL with an "action" field; a change is followed by a redirect (the page
// then shows what changed), a refusal shows the page again with the reason.
#include "hub/repos.h"
#include "util/encoding.h"
#include "web/pages.h"
#include "web/repo_forms.h"
#include "web/repo_view.h"

namespace wharf::web {
namespace {

std::string settings_path(const hub::RepoId& id) { return repo_path(id) + "/settings"; }

// The notice after a redirect (?saved=...): only wharf's own words, never the query's.
std::string saved_notice(std::string_view saved) {
  if (saved == "visibility") return "The visibility is changed.";
  if (saved == "gating") return "The access settings are changed.";
  if (saved == "moved") return "The repository is renamed; its old URLs lead here.";
  if (saved == "discussions") return "The discussion settings are changed.";
  return "";
}

Result<mstch::map> settings_context(PageCall& c, const RepoView& v) {
  auto ctx = repo_context(c, v, "settings");
  const auto& row = v.repo.row;
  ctx["title"] = "Settings · " + v.repo.id.full();
  ctx["action"] = c.base + settings_path(v.repo.id);
  ctx["gated_off"] = row.gated.empty();
  ctx["gated_auto"] = row.gated == "auto";
  ctx["gated_manual"] = row.gated == "manual";
  ctx["owners"] = WHARF_TRY(owner_options(c, v.repo.id.ns));
  ctx["access_href"] = c.base + repo_path(v.repo.id) + "/access-requests";
  ctx["discussions_disabled"] = WHARF_TRY(c.hub.db().discussions_disabled(row.id));
  if (auto notice = saved_notice(QueryParams::parse(c.req.query).get("saved").value_or(""));
      !notice.empty())
    ctx["notice"] = notice;
  return ctx;
}

// "off" in the form is the Hub's "" (not gated).
Result<std::string> gating_mode(std::string_view field) {
  if (field == "off") return std::string();
  if (field == "auto" || field == "manual") return std::string(field);
  return fail(errors::bad_request("Choose off, automatic or manual approval"));
}

// Applies the posted form; returns where to go next.
Result<std::string> apply(PageCall& c, const RepoView& v) {
  const auto& id = v.repo.id;
  std::string action = c.field("action");
  if (action == "visibility") {
    WHARF_TRY_VOID(
        hub::update_settings(c.hub, c.who, id, {c.field("visibility") == "private", std::nullopt, std::nullopt}));
    return settings_path(id) + "?saved=visibility";
  }
  if (action == "gating") {
    WHARF_TRY_VOID(hub::update_settings(c.hub, c.who, id,
                                        {std::nullopt, WHARF_TRY(gating_mode(c.field("gated"))), std::nullopt}));
    return settings_path(id) + "?saved=gating";
  }
  if (action == "discussions") {
    WHARF_TRY_VOID(hub::update_settings(c.hub, c.who, id,
                                        {std::nullopt, std::nullopt, c.field("discussions") == "off"}));
    return settings_path(id) + "?saved=discussions";
  }
  if (action == "move") {
    hub::RepoId to{id.type, c.field("owner"), c.field("name")};
    WHARF_TRY_VOID(hub::move_repo(c.hub, c.who, id, to));
    return settings_path(to) + "?saved=moved";
  }
  if (action == "delete") {
    if (c.field("confirm") != id.full())
      return fail(errors::bad_request("To delete the repository, type its full name, " + id.full() +
                                      ", exactly"));
    WHARF_TRY_VOID(hub::delete_repo(c.hub, c.who, id));
    return "/" + c.who.user->name;
  }
  return fail(errors::bad_request("Unknown settings action"));
}

}  // namespace

Result<http::Response> settings_page(PageCall& c, const PageRoute& r) {
  if (c.is_post() && !c.who.session)
    return redirect(c, "/login?next=" + percent_encode(settings_path(r.repo), true));
  auto v = WHARF_TRY(open_repo_view(c, r, hub::Access::Admin));
  auto ctx = WHARF_TRY(settings_context(c, v));
  if (!c.is_post()) return render_page(c, "repo_settings", ctx);
  auto next = apply(c, v);
  if (next) return redirect(c, *next);
  if (next.error().status == 500) return fail(next.error());
  ctx.erase("notice");
  if (c.field("action") == "move") ctx["new_name"] = c.field("name");
  return render_error(c, "repo_settings", ctx, next.error());
}

}  // namespace wharf::web
