// Sign-up, log-in, log-out and password change.
#include "hub/accounts.h"
#include "util/crypto.h"
#include "util/encoding.h"
#include "web/page_call.h"

namespace wharf::web {
namespace {

constexpr std::string_view kHome = "/settings/tokens";

std::string joined(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : ", ") + w;
  return out;
}

// The page again with the error; a server failure goes up to the generic error page.
Result<http::Response> refused(const PageCall& c, std::string_view page, mstch::map ctx, const Error& e) {
  if (e.status == 500) return fail(e);
  return render_error(c, page, std::move(ctx), e);
}

// Opens a session for `user` (ending the one the browser had), sets its cookie and goes on.
Result<http::Response> start_session(PageCall& c, const storage::UserRow& user, std::string_view next) {
  if (auto old = c.cookie(hub::kSessionCookie)) WHARF_TRY_VOID(hub::close_session(c.hub, *old));
  auto session = WHARF_TRY(hub::open_session(c.hub, user));
  c.set_cookie(hub::kSessionCookie, session.secret, hub::kSessionLifetimeMs / 1000);
  return redirect(c, next);
}

}  // namespace

std::string form_token(PageCall& c) {
  auto cookie = c.cookie(kFormCookie);
  if (cookie && is_lower_hex(*cookie, 64)) return *cookie;
  std::string token = random_hex(64);
  c.set_cookie(kFormCookie, token, 24 * 3600);
  return token;
}

Result<http::Response> join_page(PageCall& c) {
  if (c.who.user && !c.is_post()) return redirect(c, kHome);
  const auto& policy = c.options.signup;
  mstch::map ctx{{"title", std::string("Sign up")},
                 {"closed", !policy.open},
                 {"domains", joined(policy.email_domains)},
                 {"csrf", form_token(c)}};
  if (!c.is_post()) return render_page(c, "join", ctx);
  std::string name = c.field("name"), email = c.field("email");
  ctx["name"] = name;
  ctx["email"] = email;
  auto user = hub::sign_up(c.hub, policy, name, email, c.field("password"), c.req.remote_address);
  if (!user) return refused(c, "join", ctx, user.error());
  return start_session(c, *user, kHome);
}

Result<http::Response> login_page(PageCall& c) {
  std::string next = safe_next(c.is_post() ? c.field("next") : QueryParams::parse(c.req.query).get("next").value_or(""),
                               kHome);
  if (c.who.user && !c.is_post()) return redirect(c, next);
  mstch::map ctx{{"title", std::string("Log in")},
                 {"next", next},
                 {"signup_open", c.options.signup.open},
                 {"csrf", form_token(c)}};
  if (!c.is_post()) return render_page(c, "login", ctx);
  std::string login = c.field("login");
  ctx["login"] = login;
  auto user = hub::log_in(c.hub, login, c.field("password"), c.req.remote_address);
  if (!user) return refused(c, "login", ctx, user.error());
  return start_session(c, *user, next);
}

Result<http::Response> logout(PageCall& c) {
  if (auto secret = c.cookie(hub::kSessionCookie)) WHARF_TRY_VOID(hub::close_session(c.hub, *secret));
  c.set_cookie(hub::kSessionCookie, "", 0);
  return redirect(c, "/login");
}

Result<http::Response> password_page(PageCall& c) {
  if (!c.who.session) return redirect(c, "/login?next=" + percent_encode("/settings/password"));
  mstch::map ctx{{"title", std::string("Password")}, {"csrf", c.who.session->csrf}};
  if (!c.is_post()) return render_page(c, "password", ctx);
  std::string replacement = c.field("password");
  if (replacement != c.field("password2"))
    return refused(c, "password", ctx, errors::bad_request("The two new passwords differ"));
  if (auto done = hub::change_password(c.hub, c.who, c.field("current"), replacement); !done)
    return refused(c, "password", ctx, done.error());
  ctx["notice"] = std::string("Your password is changed; your other sessions are logged out.");
  return render_page(c, "password", ctx);
}

}  // namespace wharf::web
