// The Hub API: turns HTTP requests into service calls (spec §2 to §10).
#pragma once

#include <string>

#include "http/message.h"
#include "hub/hub.h"

namespace wharf::api {

struct ApiOptions {
  // The externally visible base URL, without a trailing '/': every URL wharf returns
  // (repo urls, commit urls, Link headers, LFS hrefs) starts with it.
  std::string public_url;
  // Lifetime of self-authenticating LFS transfer URLs.
  int64_t transfer_url_ttl_s = 24 * 3600;
};

// The handler for every route of the server.
http::Handler make_handler(hub::Hub& hub, ApiOptions options);

}  // namespace wharf::api
