// The Hub API: turns HTTP requests into service calls (spec §2 to §10).
#pragma once

#include <string>

#include "http/message.h"
#include "hub/hub.h"
#include "hub/rate_limit.h"

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

// The CORS headers of API answers (origin, exposed headers), for answers made outside
// make_handler (a 429 of the rate limits).
void add_cors(const http::Request& req, http::Response& res);

// Wraps `inner` (the composed handler of the server) with the rate limits of `config`: each
// request except OPTIONS is counted in its bucket (api, resolvers, pages) for its caller (the
// user and tier of its token or web session, else the client address); past the limit the
// answer is 429 TooManyRequests with Retry-After. Limited answers carry the RateLimit and
// RateLimit-Policy headers. Invalid credentials also count against the sender's address;
// past config.auth_failures of them, its credentials are refused unread (429).
// src/api/rate_limits.cpp.
http::Handler with_rate_limits(hub::Hub& hub, const hub::RateLimitConfig& config, http::Handler inner);

}  // namespace wharf::api
