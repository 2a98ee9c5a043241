// TEMPORARY until the tokens work of issue 4 lands.
#include "hub/tokens.h"

namespace wharf::hub {

Result<CreatedToken> create_own_token(Hub&, const Identity&, const NewToken&) {
  return fail(errors::not_implemented("Token management is not available yet"));
}
Result<std::vector<storage::TokenRow>> list_own_tokens(Hub&, const Identity&) {
  return fail(errors::not_implemented("Token management is not available yet"));
}
Result<void> revoke_own_token(Hub&, const Identity&, int64_t) {
  return fail(errors::not_implemented("Token management is not available yet"));
}

}  // namespace wharf::hub
