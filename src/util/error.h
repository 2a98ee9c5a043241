// The one error type of wharf (ARCHITECTURE decision 7): a Hub error code, an HTTP status
// and a message, created in the domain or in storage and rendered only by the http layer.
#pragma once

#include <expected>
#include <string>
#include <utility>
#include <vector>

namespace wharf {

struct Error {
  int status = 500;          // HTTP status the http layer answers with
  std::string code;          // X-Error-Code; empty when the Hub sends none
  std::string message;       // X-Error-Message and the JSON "error"
  // Extra response headers that belong to this error (e.g. X-Repo-Commit on EntryNotFound).
  std::vector<std::pair<std::string, std::string>> headers;
  // Extra top-level JSON fields of the error body (e.g. "url" on a 409 from repo create),
  // kept as a serialized JSON object so that util does not depend on a JSON library.
  std::string extra_json;

  Error with_header(std::string name, std::string value) && {
    headers.emplace_back(std::move(name), std::move(value));
    return std::move(*this);
  }
};

template <typename T>
using Result = std::expected<T, Error>;

inline std::unexpected<Error> fail(Error e) { return std::unexpected<Error>(std::move(e)); }

namespace errors {
inline Error bad_request(std::string msg) { return {400, "BadRequest", std::move(msg), {}, {}}; }
inline Error unauthorized(std::string msg) { return {401, "", std::move(msg), {}, {}}; }
inline Error invalid_credentials() {
  return {401, "", "Invalid credentials in Authorization header", {}, {}};
}
inline Error forbidden(std::string msg) { return {403, "", std::move(msg), {}, {}}; }
// RepoNotFound: 401 for anonymous callers, 404 for authenticated ones (spec §1.6).
inline Error repo_not_found(bool authenticated) {
  return {authenticated ? 404 : 401, "RepoNotFound", "Repository not found", {}, {}};
}
inline Error revision_not_found(const std::string& rev) {
  return {404, "RevisionNotFound", "Invalid rev id: " + rev, {}, {}};
}
inline Error entry_not_found(std::string msg = "Entry not found") {
  return {404, "EntryNotFound", std::move(msg), {}, {}};
}
inline Error not_found(std::string msg) { return {404, "NotFound", std::move(msg), {}, {}}; }
inline Error conflict(std::string msg) { return {409, "Conflict", std::move(msg), {}, {}}; }
inline Error precondition_failed() {
  return {412, "PreconditionFailed", "A commit has happened since. Please refresh and try again.", {}, {}};
}
inline Error payload_too_large(std::string msg) { return {413, "PayloadTooLarge", std::move(msg), {}, {}}; }
inline Error range_not_satisfiable() { return {416, "RangeNotSatisfiable", "Requested range not satisfiable", {}, {}}; }
inline Error not_implemented(std::string msg) { return {501, "NotImplemented", std::move(msg), {}, {}}; }
inline Error internal(std::string msg) { return {500, "InternalError", std::move(msg), {}, {}}; }
}  // namespace errors

}  // namespace wharf

// Propagates the error of a Result-returning expression; otherwise yields its value.
#define WHARF_TRY(expr)                                      \
  ({                                                         \
    auto&& wharf_try_r_ = (expr);                            \
    if (!wharf_try_r_) return ::wharf::fail(std::move(wharf_try_r_.error())); \
    std::move(*wharf_try_r_);                                \
  })
#define WHARF_TRY_VOID(expr)                                 \
  do {                                                       \
    auto&& wharf_try_r_ = (expr);                            \
    if (!wharf_try_r_) return ::wharf::fail(std::move(wharf_try_r_.error())); \
  } while (0)
