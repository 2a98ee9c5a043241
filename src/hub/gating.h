// Gated repos (spec §13.3): a user asks for access, answering the form the owner configured
// in the README card (`extra_gated_fields`); the repo's writers list the requests and accept,
// reject, reset to pending or grant. check_repo_access (access.cpp) enforces the outcome on
// every content surface; nothing here is cached, so a decision holds from the next request.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hub/access.h"
#include "hub/repo_id.h"

namespace wharf::hub {

// One question of the access form. `type` is the card's: "text", "checkbox", "country",
// "date_picker", "select" (with `options`); any other type is answered like "text".
struct GateField {
  std::string label;
  std::string type;
  std::vector<std::string> options;  // select: the accepted values
};

// Bounds of the access form: fields beyond kMaxGateFields in the card are not asked, and an
// answer longer than kMaxGateAnswer bytes is refused.
inline constexpr std::size_t kMaxGateFields = 32;
inline constexpr std::size_t kMaxGateAnswer = 1024;

// The questions of `card_data` (the JSON text of the README front matter): its
// `extra_gated_fields` map of label -> type (or {type, options}), in the card's order.
// An absent or malformed map asks nothing.
std::vector<GateField> gate_fields(std::string_view card_data);

// A submitted answer: the field's label and its value as text (a JSON true is "true").
using GateAnswers = std::vector<std::pair<std::string, std::string>>;

// Checks `answers` against `fields` and returns the JSON object text to store ("" when
// `fields` is empty). Every field is required: text non-blank, a checkbox truthy ("true",
// "on", "yes", "1"), a select one of its options. Unknown labels are ignored.
// Errors: 400 naming the first missing or invalid field, or an answer over kMaxGateAnswer.
Result<std::string> check_gate_answers(const std::vector<GateField>& fields,
                                       const GateAnswers& answers);

// The request statuses the Hub knows, and whether `s` is one of them.
bool is_request_status(std::string_view s);

// `who` asks for access to `id`. Returns the request's status afterwards: "accepted" at once
// for gated "auto" (and for a caller whose role already reads content: no request is stored),
// "pending" for "manual". Asking again while pending or accepted changes nothing.
// Errors: RepoNotFound for a repo the caller cannot see; 401 anonymous; 400 when the repo is
// not gated or an answer is missing; 403 when the admins rejected the request (it stays
// rejected until they reset it to pending).
Result<std::string> ask_access(Hub& hub, const Identity& who, const RepoId& id,
                               const GateAnswers& answers);

// The requests of `id` in `status`, oldest first, from `offset` (at most `limit`).
// REQUIRES: the caller writes to the repo (Access::Write). Errors: RepoNotFound, 401, 403,
// 400 for a repo that is not gated or an unknown status.
Result<std::vector<storage::AccessRequestRow>> list_access_requests(Hub& hub, const Identity& who,
                                                                    const RepoId& id,
                                                                    std::string_view status,
                                                                    int64_t offset, int64_t limit);

// Moves `user`'s request to `status` ("accepted", "rejected" or "pending"; "pending" is how
// clients cancel an access). `reason` (rejections only, at most 200 characters) is kept.
// Errors: as list_access_requests; 404 for an unknown user, a user without a request, or a
// request already in `status` (as the Hub documents); 400 for a bad status or reason.
Result<void> handle_access_request(Hub& hub, const Identity& who, const RepoId& id,
                                   const std::string& user, std::string_view status,
                                   const std::string& reason);

// Gives `user` access without a request of theirs (an accepted request, dated now).
// Errors: as list_access_requests; 404 for an unknown user; 400 when they already have access.
Result<void> grant_access(Hub& hub, const Identity& who, const RepoId& id, const std::string& user);

}  // namespace wharf::hub
