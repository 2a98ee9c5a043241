#include "storage/db.h"

#include <sstream>

#include "storage/db_internal.h"

namespace wharf::storage {
namespace {

// Permissions are stored as one space-separated text.
std::string join_words(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

std::vector<std::string> split_words(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

SessionRow read_session(const Cursor& c) {
  return {c.text(0), c.int64(1), c.text(2), c.int64(3), c.int64(4)};
}

#define MEMBER_USER_COLUMNS \
  "u.id, u.name, u.fullname, u.email, u.is_admin, u.created_at, u.kind, u.password_hash, u.disabled, u.tier"

MemberRow read_member(const Cursor& c) {
  MemberRow m;
  m.user = read_user(c);
  m.role = c.text(10);
  m.since_ms = c.int64(11);
  return m;
}

}  // namespace

Result<void> Db::Impl::load_scopes(TokenRow& token) {
  if (token.role != "fineGrained") return {};
  token.scopes = WHARF_TRY(all(
      [](const Cursor& c) { return TokenScope{c.text(0), c.text(1), split_words(c.text(2))}; },
      "SELECT entity_type, entity, permissions FROM token_scopes WHERE token_id = ? "
      "ORDER BY entity_type, entity",
      token.id));
  return {};
}

// --- users and tokens ---

Result<UserRow> Db::create_user(const std::string& name, const std::string& fullname,
                                const std::string& email, bool is_admin, int64_t now_ms) {
  auto lock = impl_->lock();
  return with_conflict_message(
      required(impl_->one(read_user,
                          "INSERT INTO users (name, fullname, email, is_admin, created_at) "
                          "VALUES (?, ?, ?, ?, ?) RETURNING " USER_COLUMNS,
                          name, fullname, email, is_admin, now_ms)),
      "User name '" + name + "' is already taken");
}

Result<std::optional<UserRow>> Db::find_user(const std::string& name) {
  auto lock = impl_->lock();
  return impl_->one(read_user, "SELECT " USER_COLUMNS " FROM users WHERE name = ?", name);
}

Result<UserRow> Db::create_org(const std::string& name, const std::string& fullname, int64_t now_ms) {
  auto lock = impl_->lock();
  return with_conflict_message(
      required(impl_->one(read_user,
                          "INSERT INTO users (name, fullname, email, is_admin, created_at, kind) "
                          "VALUES (?, ?, '', 0, ?, 'org') RETURNING " USER_COLUMNS,
                          name, fullname, now_ms)),
      "The name '" + name + "' is already taken");
}

Result<std::optional<UserRow>> Db::find_user_by_email(const std::string& email) {
  auto lock = impl_->lock();
  return impl_->one(read_user, "SELECT " USER_COLUMNS " FROM users WHERE email = ? COLLATE NOCASE AND email <> '' "
                    "AND kind = 'user'", email);
}

Result<std::vector<UserRow>> Db::list_users() {
  auto lock = impl_->lock();
  return impl_->all(read_user, "SELECT " USER_COLUMNS " FROM users ORDER BY name");
}

Result<void> Db::set_password_hash(int64_t user_id, const std::string& hash) {
  auto lock = impl_->lock();
  return impl_->exec("UPDATE users SET password_hash = ? WHERE id = ?", hash, user_id);
}

Result<void> Db::set_user_disabled(int64_t user_id, bool disabled) {
  auto lock = impl_->lock();
  return impl_->exec("UPDATE users SET disabled = ? WHERE id = ?", disabled, user_id);
}

Result<void> Db::set_user_tier(int64_t user_id, const std::string& tier) {
  auto lock = impl_->lock();
  return impl_->exec("UPDATE users SET tier = ? WHERE id = ?", tier, user_id);
}

Result<void> Db::set_user_profile(int64_t user_id, const std::string& fullname, const std::string& email) {
  auto lock = impl_->lock();
  return impl_->exec("UPDATE users SET fullname = ?, email = ? WHERE id = ?", fullname, email, user_id);
}

Result<void> Db::delete_user(int64_t user_id) {
  auto lock = impl_->lock();
  // Tokens (and their scopes), sessions, memberships and access requests go with the row.
  return impl_->exec("DELETE FROM users WHERE id = ?", user_id);
}

Result<std::optional<UserRow>> Db::find_user_by_id(int64_t id) {
  auto lock = impl_->lock();
  return impl_->one(read_user, "SELECT " USER_COLUMNS " FROM users WHERE id = ?", id);
}

Result<int64_t> Db::count_users() {
  auto lock = impl_->lock();
  return required(impl_->one(read_int, "SELECT COUNT(*) FROM users"));
}

Result<TokenRow> Db::create_token(int64_t user_id, const std::string& name, const std::string& role,
                                  const std::string& hash, int64_t now_ms, int64_t expires_ms,
                                  const std::vector<TokenScope>& scopes) {
  auto lock = impl_->lock();
  auto tx = WHARF_TRY(impl_->begin());
  // Checked first so that a missing user is told apart from a duplicate hash.
  auto user = WHARF_TRY(impl_->one(read_int, "SELECT id FROM users WHERE id = ?", user_id));
  if (!user) return fail(errors::not_found("User not found"));
  auto token = WHARF_TRY(with_conflict_message(
      required(impl_->one(read_token,
                          "INSERT INTO tokens (user_id, name, role, hash, created_at, expires_at) "
                          "VALUES (?, ?, ?, ?, ?, ?) RETURNING " TOKEN_COLUMNS,
                          user_id, name, role, hash, now_ms, expires_ms)),
      "A token with this secret already exists"));
  for (const auto& scope : scopes) {
    WHARF_TRY_VOID(with_conflict_message(
        impl_->exec("INSERT INTO token_scopes (token_id, entity_type, entity, permissions) "
                    "VALUES (?, ?, ?, ?)",
                    token.id, scope.entity_type, scope.entity, join_words(scope.permissions)),
        "The token names " + scope.entity_type + " " + scope.entity + " twice"));
  }
  WHARF_TRY_VOID(tx.commit());
  token.scopes = scopes;
  return token;
}

Result<std::optional<TokenRow>> Db::find_token_by_hash(const std::string& hash) {
  auto lock = impl_->lock();
  auto token = WHARF_TRY(impl_->one(read_token, "SELECT " TOKEN_COLUMNS " FROM tokens WHERE hash = ?", hash));
  if (token) WHARF_TRY_VOID(impl_->load_scopes(*token));
  return token;
}

Result<std::vector<TokenRow>> Db::list_tokens(int64_t user_id) {
  auto lock = impl_->lock();
  auto tokens = WHARF_TRY(impl_->all(
      read_token, "SELECT " TOKEN_COLUMNS " FROM tokens WHERE user_id = ? ORDER BY id DESC", user_id));
  for (auto& t : tokens) WHARF_TRY_VOID(impl_->load_scopes(t));
  return tokens;
}

Result<bool> Db::delete_token(int64_t user_id, int64_t token_id) {
  auto lock = impl_->lock();
  auto gone = WHARF_TRY(impl_->one(read_int, "DELETE FROM tokens WHERE id = ? AND user_id = ? RETURNING id",
                                   token_id, user_id));
  return gone.has_value();
}

// --- web sessions ---

Result<void> Db::create_session(const SessionRow& row) {
  auto lock = impl_->lock();
  return impl_->exec(
      "INSERT INTO sessions (hash, user_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
      row.hash, row.user_id, row.csrf, row.created_ms, row.expires_ms);
}

Result<std::optional<SessionRow>> Db::find_session(const std::string& hash) {
  auto lock = impl_->lock();
  return impl_->one(read_session,
                    "SELECT hash, user_id, csrf, created_at, expires_at FROM sessions WHERE hash = ?", hash);
}

Result<void> Db::delete_session(const std::string& hash) {
  auto lock = impl_->lock();
  return impl_->exec("DELETE FROM sessions WHERE hash = ?", hash);
}

Result<void> Db::delete_sessions_of(int64_t user_id) {
  auto lock = impl_->lock();
  return impl_->exec("DELETE FROM sessions WHERE user_id = ?", user_id);
}

Result<void> Db::delete_other_sessions(int64_t user_id, const std::string& keep_hash) {
  auto lock = impl_->lock();
  return impl_->exec("DELETE FROM sessions WHERE user_id = ? AND hash <> ?", user_id, keep_hash);
}

Result<void> Db::delete_expired_sessions(int64_t now_ms) {
  auto lock = impl_->lock();
  return impl_->exec("DELETE FROM sessions WHERE expires_at < ?", now_ms);
}

// --- organization memberships ---

Result<void> Db::put_membership(int64_t org_id, int64_t user_id, const std::string& role, int64_t now_ms) {
  auto lock = impl_->lock();
  return impl_->exec(
      "INSERT INTO memberships (org_id, user_id, role, created_at) VALUES (?, ?, ?, ?) "
      "ON CONFLICT (org_id, user_id) DO UPDATE SET role = excluded.role",
      org_id, user_id, role, now_ms);
}

Result<bool> Db::delete_membership(int64_t org_id, int64_t user_id) {
  auto lock = impl_->lock();
  auto gone = WHARF_TRY(impl_->one(
      read_int, "DELETE FROM memberships WHERE org_id = ? AND user_id = ? RETURNING user_id", org_id, user_id));
  return gone.has_value();
}

Result<std::string> Db::role_in(const std::string& org, int64_t user_id) {
  auto lock = impl_->lock();
  auto role = WHARF_TRY(impl_->one(read_text,
                                   "SELECT m.role FROM memberships m JOIN users o ON o.id = m.org_id "
                                   "WHERE o.name = ? AND o.kind = 'org' AND m.user_id = ?",
                                   org, user_id));
  return role.value_or("");
}

Result<std::vector<MemberRow>> Db::list_members(int64_t org_id) {
  auto lock = impl_->lock();
  return impl_->all(read_member,
                    "SELECT " MEMBER_USER_COLUMNS ", m.role, m.created_at FROM memberships m "
                    "JOIN users u ON u.id = m.user_id WHERE m.org_id = ? ORDER BY u.name",
                    org_id);
}

Result<std::vector<MemberRow>> Db::orgs_of(int64_t user_id) {
  auto lock = impl_->lock();
  return impl_->all(read_member,
                    "SELECT " MEMBER_USER_COLUMNS ", m.role, m.created_at FROM memberships m "
                    "JOIN users u ON u.id = m.org_id WHERE m.user_id = ? ORDER BY u.name",
                    user_id);
}

Result<int64_t> Db::count_members(int64_t org_id, const std::string& role) {
  auto lock = impl_->lock();
  return required(impl_->one(read_int,
                             "SELECT COUNT(*) FROM memberships WHERE org_id = ? AND (? = '' OR role = ?)",
                             org_id, role, role));
}

}  // namespace wharf::storage
