// The access tokens page: list, create (the secret shown once), revoke.
#include <charconv>

#include "hub/tokens.h"
#include "util/encoding.h"
#include "util/time.h"
#include "web/page_call.h"

namespace wharf::web {
namespace {

std::string shown_time(int64_t ms) {
  std::string iso = format_iso8601(ms);  // YYYY-MM-DDTHH:MM:SS.mmmZ
  return iso.substr(0, 10) + " " + iso.substr(11, 5) + " UTC";
}

std::string shown_scopes(const storage::TokenRow& t) {
  std::string out;
  for (const auto& s : t.scopes) {
    out += (out.empty() ? "" : "; ") + s.entity_type + " " + s.entity + ":";
    for (std::size_t i = 0; i < s.permissions.size(); ++i) out += (i ? ", " : " ") + s.permissions[i];
  }
  return out.empty() ? "all repositories" : out;
}

// "acme" is a namespace, "acme/bert" a model, "datasets/acme/x" and "spaces/acme/x" the others.
storage::TokenScope parse_scope(std::string_view line, std::vector<std::string> permissions) {
  while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
  while (!line.empty() && line.back() == ' ') line.remove_suffix(1);
  storage::TokenScope scope{"namespace", std::string(line), std::move(permissions)};
  for (auto [prefix, type] : {std::pair{"datasets/", "dataset"}, {"spaces/", "space"}, {"models/", "model"}}) {
    if (line.starts_with(prefix) && line.find('/', std::string_view(prefix).size()) != std::string_view::npos) {
      scope.entity_type = type;
      scope.entity = std::string(line.substr(std::string_view(prefix).size()));
      return scope;
    }
  }
  if (line.find('/') != std::string_view::npos) scope.entity_type = "model";
  return scope;
}

// The token the form describes; BadRequest for an expiry that is no number of days.
Result<hub::NewToken> token_from_form(const PageCall& c) {
  hub::NewToken spec;
  spec.name = c.field("name");
  spec.role = c.field("role");
  if (auto days_text = c.field("expires_days"); !days_text.empty()) {
    int days = 0;
    auto [end, ec] = std::from_chars(days_text.data(), days_text.data() + days_text.size(), days);
    if (ec != std::errc() || end != days_text.data() + days_text.size() || days < 1 || days > 3650)
      return fail(errors::bad_request("The expiry is a number of days from 1 to 3650, or empty for never"));
    spec.expires_ms = now_ms() + days * 24LL * 3600 * 1000;
  }
  if (spec.role == "fineGrained") spec.scopes.push_back(parse_scope(c.field("scope"), c.form.all("permission")));
  return spec;
}

// The page with the caller's tokens; the status is that of the first error, if any.
Result<http::Response> show_tokens(const PageCall& c, mstch::map ctx, std::optional<Error> error) {
  mstch::array rows;
  auto tokens = hub::list_own_tokens(c.hub, c.who);
  if (tokens) {
    for (const auto& t : *tokens)
      rows.push_back(mstch::map{{"id", std::to_string(t.id)},
                                {"name", t.name},
                                {"role", t.role},
                                {"scopes", shown_scopes(t)},
                                {"created", shown_time(t.created_ms)},
                                {"expires", t.expires_ms ? shown_time(t.expires_ms) : std::string("never")}});
  } else if (!error) {
    error = tokens.error();
  }
  ctx["has_tokens"] = !rows.empty();
  ctx["tokens"] = std::move(rows);
  if (error && error->status == 500) return fail(*error);
  return error ? render_error(c, "tokens", std::move(ctx), *error) : render_page(c, "tokens", std::move(ctx));
}

mstch::map tokens_context(const PageCall& c) {
  return {{"title", std::string("Access tokens")}, {"csrf", c.who.session->csrf}};
}

}  // namespace

Result<http::Response> tokens_page(PageCall& c) {
  if (!c.who.session) return redirect(c, "/login?next=" + percent_encode("/settings/tokens"));
  auto ctx = tokens_context(c);
  if (!c.is_post()) return show_tokens(c, std::move(ctx), std::nullopt);
  auto spec = token_from_form(c);
  if (!spec) return show_tokens(c, std::move(ctx), spec.error());
  auto created = hub::create_own_token(c.hub, c.who, *spec);
  if (!created) return show_tokens(c, std::move(ctx), created.error());
  ctx["new_secret"] = created->secret;
  ctx["new_name"] = created->row.name;
  return show_tokens(c, std::move(ctx), std::nullopt);
}

Result<http::Response> delete_token(PageCall& c, int64_t token_id) {
  if (!c.who.session) return redirect(c, "/login?next=" + percent_encode("/settings/tokens"));
  if (auto done = hub::revoke_own_token(c.hub, c.who, token_id); !done)
    return show_tokens(c, tokens_context(c), done.error());
  return redirect(c, "/settings/tokens");
}

}  // namespace wharf::web
