// The web UI (ARCHITECTURE "web/"): server-rendered HTML pages on the same services as the
// API. For now the account pages: sign-up, log-in, log-out, password and tokens.
#pragma once

#include <string>
#include <string_view>

#include "http/message.h"
#include "hub/accounts.h"
#include "hub/hub.h"

namespace wharf::web {

struct WebOptions {
  // The externally visible base URL without a trailing '/' (its path is the prefix of every
  // link and redirect; its origin is the one form posts may come from).
  std::string public_url;
  hub::SignupPolicy signup;
  // The largest body the upload page accepts (all its files together).
  uint64_t max_upload_bytes = 5ULL << 30;
};

// Whether `path` (the raw request path) is a web page; the API handles the rest.
bool owns_path(std::string_view path);

// The handler of the paths owns_path accepts.
http::Handler make_handler(hub::Hub& hub, WebOptions options);

}  // namespace wharf::web
