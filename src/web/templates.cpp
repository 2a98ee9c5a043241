#include "web/templates.h"

#include <map>

namespace wharf::web {
namespace {

// Every page is shown inside this; the page itself is the partial "content". Values come in
// through {{ }} only, which HTML-escapes them.
constexpr const char* kLayout = R"(<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{title}} · wharf</title>
<link rel="stylesheet" href="{{base}}/static/wharf.css">
</head>
<body>
<header class="bar">
<span class="brand">wharf</span>
<nav>
{{#signed_in}}
<a href="{{base}}/settings/tokens">Tokens</a>
<a href="{{base}}/settings/password">Password</a>
<form method="post" action="{{base}}/logout" class="inline">
<input type="hidden" name="csrf" value="{{session_csrf}}">
<button type="submit" class="link">Log out {{user_name}}</button>
</form>
{{/signed_in}}
{{^signed_in}}
<a href="{{base}}/login">Log in</a>
<a href="{{base}}/join">Sign up</a>
{{/signed_in}}
</nav>
</header>
<main>
<h1>{{title}}</h1>
{{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
{{#notice}}<p class="notice">{{notice}}</p>{{/notice}}
{{> content}}
</main>
</body>
</html>
)";

constexpr const char* kJoin = R"({{#closed}}<p class="notice">Sign-up is closed on this server. Ask its operator for an account.</p>{{/closed}}
{{^closed}}
<form method="post" action="{{base}}/join" class="card">
<input type="hidden" name="csrf" value="{{csrf}}">
<label>User name <input name="name" value="{{name}}" required maxlength="96" autocomplete="username"></label>
<label>Email <input type="email" name="email" value="{{email}}" required maxlength="254" autocomplete="email"></label>
{{#domains}}<p class="hint">Only addresses at: {{domains}}</p>{{/domains}}
<label>Password <input type="password" name="password" required minlength="8" maxlength="256" autocomplete="new-password"></label>
<button type="submit">Create account</button>
</form>
{{/closed}}
<p>Already have an account? <a href="{{base}}/login">Log in</a></p>
)";

constexpr const char* kLogin = R"(<form method="post" action="{{base}}/login" class="card">
<input type="hidden" name="csrf" value="{{csrf}}">
<input type="hidden" name="next" value="{{next}}">
<label>User name or email <input name="login" value="{{login}}" required maxlength="254" autocomplete="username"></label>
<label>Password <input type="password" name="password" required maxlength="256" autocomplete="current-password"></label>
<button type="submit">Log in</button>
</form>
{{#signup_open}}<p>No account yet? <a href="{{base}}/join">Sign up</a></p>{{/signup_open}}
)";

constexpr const char* kPassword = R"(<form method="post" action="{{base}}/settings/password" class="card">
<input type="hidden" name="csrf" value="{{csrf}}">
<label>Current password <input type="password" name="current" required maxlength="256" autocomplete="current-password"></label>
<label>New password <input type="password" name="password" required minlength="8" maxlength="256" autocomplete="new-password"></label>
<label>New password again <input type="password" name="password2" required minlength="8" maxlength="256" autocomplete="new-password"></label>
<button type="submit">Change password</button>
</form>
<p class="hint">Changing your password logs you out of your other sessions.</p>
)";

constexpr const char* kTokens = R"({{#new_secret}}
<div class="secret">
<p>Your new token <strong>{{new_name}}</strong>. Copy it now: it is not shown again.</p>
<input readonly value="{{new_secret}}" class="mono" aria-label="The new token">
</div>
{{/new_secret}}
<h2>Your tokens</h2>
{{#has_tokens}}
<div class="scroll">
<table>
<thead><tr><th>Name</th><th>Role</th><th>Scopes</th><th>Created</th><th>Expires</th><th></th></tr></thead>
<tbody>
{{#tokens}}
<tr>
<td>{{name}}</td><td>{{role}}</td><td>{{scopes}}</td><td>{{created}}</td><td>{{expires}}</td>
<td><form method="post" action="{{base}}/settings/tokens/{{id}}/delete" class="inline">
<input type="hidden" name="csrf" value="{{csrf}}">
<button type="submit" class="danger">Revoke</button>
</form></td>
</tr>
{{/tokens}}
</tbody>
</table>
</div>
{{/has_tokens}}
{{^has_tokens}}<p>No tokens.</p>{{/has_tokens}}
<h2>New token</h2>
<form method="post" action="{{base}}/settings/tokens" class="card">
<input type="hidden" name="csrf" value="{{csrf}}">
<label>Name <input name="name" required maxlength="100"></label>
<label>Role
<select name="role">
<option value="read">read</option>
<option value="write">write</option>
<option value="fineGrained">fine-grained</option>
</select>
</label>
<label>Expires after (days; empty: never) <input name="expires_days" inputmode="numeric" pattern="[0-9]*" maxlength="5"></label>
<fieldset>
<legend>Fine-grained scope</legend>
<label>Namespace or repo <input name="scope" placeholder="acme, acme/model, datasets/acme/data" maxlength="200"></label>
<label class="check"><input type="checkbox" name="permission" value="repo.content.read"> repo.content.read: read files</label>
<label class="check"><input type="checkbox" name="permission" value="repo.write"> repo.write: commit and push</label>
</fieldset>
<button type="submit">Create token</button>
</form>
)";

constexpr const char* kMessage = R"({{#message}}<p>{{message}}</p>{{/message}}
)";

const std::map<std::string_view, const char*>& pages() {
  static const std::map<std::string_view, const char*> all = {
      {"join", kJoin}, {"login", kLogin}, {"password", kPassword}, {"tokens", kTokens}, {"message", kMessage}};
  return all;
}

}  // namespace

const std::string_view kStylesheet = R"(*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;background:#f6f8fa}
.bar{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:.5rem;padding:.6rem 1rem;background:#fff;border-bottom:1px solid #d0d7de}
.brand{font-weight:700;font-size:1.15rem}
nav{display:flex;flex-wrap:wrap;align-items:center;gap:1rem}
a{color:#0969da;text-decoration:none}a:hover{text-decoration:underline}
main{max-width:56rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;margin:.5rem 0 1rem}h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
.card{display:flex;flex-direction:column;gap:.8rem;max-width:28rem;padding:1rem;background:#fff;border:1px solid #d0d7de;border-radius:8px}
label{display:flex;flex-direction:column;gap:.25rem;font-weight:600;font-size:.95rem}
label.check{flex-direction:row;align-items:center;font-weight:400}
input,select{font:inherit;padding:.45rem .6rem;border:1px solid #d0d7de;border-radius:6px;background:#fff;width:100%}
input[type=checkbox]{width:auto}
fieldset{border:1px solid #d0d7de;border-radius:6px;display:flex;flex-direction:column;gap:.6rem}
button{font:inherit;font-weight:600;padding:.45rem .9rem;border:1px solid #1f883d;border-radius:6px;background:#1f883d;color:#fff;cursor:pointer}
button.link{background:none;border:none;color:#0969da;padding:0;font-weight:400}
button.danger{background:#fff;color:#cf222e;border-color:#cf222e;padding:.2rem .6rem}
form.inline{display:inline;margin:0}
.error{padding:.6rem .8rem;border:1px solid #ff818266;border-radius:6px;background:#ffebe9;color:#82071e}
.notice{padding:.6rem .8rem;border:1px solid #54aeff66;border-radius:6px;background:#ddf4ff}
.hint{color:#57606a;font-size:.9rem;margin:0}
.secret{padding:.8rem;border:1px solid #4ac26b;border-radius:6px;background:#dafbe1;margin-bottom:1rem}
.mono{font-family:ui-monospace,SFMono-Regular,Menlo,monospace}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{text-align:left;padding:.45rem .6rem;border-bottom:1px solid #d0d7de;vertical-align:top}
@media (max-width:40rem){main{padding:.6rem}.card{max-width:none}th,td{padding:.35rem}}
)";

std::string render_template(std::string_view page, const mstch::map& ctx) {
  return mstch::render(kLayout, ctx, {{"content", pages().at(page)}});
}

}  // namespace wharf::web
