// Rate limits around every handler (issue 4 item 6): which bucket a request falls in, who is
// counted, and the Hub's answer: the IETF RateLimit headers on every limited response
// (huggingface.co/docs/hub/rate-limits; parsed by huggingface_hub's _parse_ratelimit) and 429
// with Retry-After past the limit.
#include <arpa/inet.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <memory>

#include "api/api.h"
#include "api/route.h"
#include "hub/audit.h"
#include "hub/identity.h"
#include "util/log.h"

namespace wharf::api {
namespace {

using hub::RateBucket;
using hub::RateDecision;
using hub::RateTier;

// Object transfers of the LFS API are downloads and uploads of content, like resolves; the
// batch and verify calls are API calls.
bool is_lfs_transfer(std::string_view sub) {
  if (sub.starts_with("multipart/")) return true;
  return sub.starts_with("objects/") && sub != "objects/batch" && !sub.ends_with("/verify");
}

// The bucket of a request, or nullopt for what is never counted (static assets of the web).
std::optional<RateBucket> classify(const std::string& path) {
  Route route = parse_route(path);
  switch (route.kind) {
    case RouteKind::Resolve:
    case RouteKind::Raw: return RateBucket::Resolvers;
    case RouteKind::Lfs: return is_lfs_transfer(route.sub) ? RateBucket::Resolvers : RateBucket::Api;
    case RouteKind::NotFound:
      if (path == "/api" || path.starts_with("/api/")) return RateBucket::Api;
      if (path.starts_with("/static/") || path == "/favicon.ico") return std::nullopt;
      return RateBucket::Pages;
    default: return RateBucket::Api;
  }
}

// Anonymous callers are counted per address; IPv6 per /64, the block one host usually holds.
std::string address_key(const std::string& address) {
  unsigned char v6[16];
  if (inet_pton(AF_INET6, address.c_str(), v6) != 1) return "ip:" + address;
  static constexpr unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  char text[64];
  if (std::equal(kMapped, kMapped + 12, v6)) {
    std::snprintf(text, sizeof text, "ip:%u.%u.%u.%u", v6[12], v6[13], v6[14], v6[15]);
  } else {
    std::snprintf(text, sizeof text, "ip:%02x%02x:%02x%02x:%02x%02x:%02x%02x::/64", v6[0], v6[1], v6[2], v6[3],
                  v6[4], v6[5], v6[6], v6[7]);
  }
  return text;
}

bool blank(std::string_view s) { return s.find_first_not_of(" \t") == std::string_view::npos; }

// Who a request is counted as: a user (unless the operator, who is never limited), else the
// client's address.
struct Caller {
  std::string key;
  std::optional<RateTier> tier;  // nullopt: unlimited
};

Caller user_caller(const storage::UserRow& user) {
  if (user.is_admin) return {"", std::nullopt};
  auto tier = hub::parse_tier(user.tier);
  if (!tier || *tier == RateTier::Anonymous) tier = RateTier::Free;
  return {"u:" + std::to_string(user.id), tier};
}

void set_rate_headers(http::Headers& h, RateBucket bucket, const RateDecision& d, int64_t window_s) {
  std::string name(hub::bucket_name(bucket));
  h.set("RateLimit", "\"" + name + "\";r=" + std::to_string(d.remaining) + ";t=" + std::to_string(d.reset_seconds));
  h.set("RateLimit-Policy",
        "\"fixed window\";\"" + name + "\";q=" + std::to_string(d.limit) + ";w=" + std::to_string(window_s));
}

http::Response too_many_requests(const http::Request& req, RateBucket bucket, const RateDecision& d,
                                 int64_t window_s, bool anonymous) {
  std::string message;
  if (bucket == RateBucket::AuthFailures) {
    message = "Too many invalid credentials were sent from your address. Retry after " +
              std::to_string(d.reset_seconds) + " seconds.";
  } else {
    message = "You have exceeded the rate limit of " + std::to_string(d.limit) + " " +
              std::string(hub::bucket_name(bucket)) + " requests per " + std::to_string(window_s) +
              " seconds. Retry after " + std::to_string(d.reset_seconds) + " seconds." +
              (anonymous ? " Authenticated requests (pass a token) have higher limits." : "");
  }
  http::Response res = http::error_response(Error{429, "TooManyRequests", message, {}, {}});
  set_rate_headers(res.headers, bucket, d, window_s);
  res.headers.set("Retry-After", std::to_string(d.reset_seconds));
  if (bucket != RateBucket::Pages) add_cors(req, res);
  return res;
}

}  // namespace

http::Handler with_rate_limits(hub::Hub& hub, const hub::RateLimitConfig& config, http::Handler inner) {
  auto limiter = std::make_shared<hub::RateLimiter>(config);
  return [&hub, limiter, inner = std::move(inner)](http::Request& req) -> Result<http::Response> {
    if (req.method == "OPTIONS") return inner(req);  // preflights are never charged
    auto bucket = classify(req.path);
    if (!bucket) return inner(req);
    int64_t now = hub::RateLimiter::now_ms();
    int64_t window_s = limiter->config().window_s;
    std::string address = address_key(req.remote_address);

    Caller caller{address, RateTier::Anonymous};
    auto authorization = req.headers.get("Authorization");
    if (authorization && !blank(*authorization)) {
      // Past its quota of invalid credentials, an address is refused before any lookup.
      if (limiter->auth_blocked(address, now)) {
        auto d = limiter->peek(address, RateTier::Anonymous, RateBucket::AuthFailures, now);
        return too_many_requests(req, RateBucket::AuthFailures, d, window_s, true);
      }
      auto who = hub::authenticate(hub, *authorization);
      if (who && who->user) caller = user_caller(*who->user);
      if (who) req.context = std::move(*who);  // the API handler takes it from here
      else if (!who && who.error().status == 401) {
        auto d = limiter->charge_auth_failure(address, std::hash<std::string>{}(*authorization), now);
        // Logged once per distinct credential, at most the throttle's quota per address.
        if (d.counted)
          hub::audit_as(hub, "", req.remote_address, "", "auth.token_invalid", "",
                        {{"path", req.path}, {"remaining", d.remaining}});
      }
      // Either way the inner handler answers the credentials itself (401 when invalid).
    } else if (auto secret = req.cookie(hub::kSessionCookie); secret && !secret->empty()) {
      if (auto who = hub::authenticate_session(hub, *secret); who && who->user) caller = user_caller(*who->user);
    }
    if (!caller.tier) return inner(req);

    RateDecision d = limiter->take(caller.key, *caller.tier, *bucket, now);
    if (!d.limited) return inner(req);
    if (!d.allowed) {
      log::debug("rate limited: " + caller.key + " " + std::string(hub::bucket_name(*bucket)));
      return too_many_requests(req, *bucket, d, window_s, *caller.tier == RateTier::Anonymous);
    }
    auto r = inner(req);
    if (r) {
      set_rate_headers(r->headers, *bucket, d, window_s);
    } else {
      http::Headers h;
      set_rate_headers(h, *bucket, d, window_s);
      for (const auto& [k, v] : h.fields()) r.error().headers.emplace_back(k, v);
    }
    return r;
  };
}

}  // namespace wharf::api
