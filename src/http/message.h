// HTTP requests and responses as the handlers see them: no transport types here.
#pragma once

#include <any>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/byte_source.h"
#include "util/error.h"
#include "util/unique_fd.h"

namespace wharf::http {

// Header fields in arrival order; names compare case-insensitively.
class Headers {
 public:
  std::optional<std::string> get(std::string_view name) const;
  bool has(std::string_view name) const { return get(name).has_value(); }
  void add(std::string name, std::string value) { fields_.emplace_back(std::move(name), std::move(value)); }
  // Replaces every field of that name with one.
  void set(std::string name, std::string value);
  void remove(std::string_view name);
  const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

class Request {
 public:
  std::string method;   // upper case, e.g. "GET"
  std::string target;   // the raw request target, e.g. "/api/models/a/b?x=1"
  std::string path;     // the raw (undecoded) path part of target
  std::string query;    // the raw query, without '?'
  Headers headers;
  std::string remote_address;
  std::string request_id;             // X-Request-Id echoed or generated
  // What an outer handler learned for the inner ones (the caller resolved from the
  // Authorization header, so that it is looked up once per request).
  std::any context;
  std::optional<uint64_t> content_length;  // nullopt for chunked or absent

  // The value of cookie `name` in the Cookie header ("a=1; b=2"), nullopt when absent.
  std::optional<std::string> cookie(std::string_view name) const;

  // The streaming body. Reading past a disconnect yields an error.
  ByteSource& body() { return *body_; }
  // Reads the whole body, failing with 413 when it exceeds `limit` bytes.
  Result<std::string> read_body(std::size_t limit);

  void set_body_source(ByteSource* body) { body_ = body; }

 private:
  ByteSource* body_ = nullptr;
};

// A slice of an open file, sent with sendfile(2).
struct FileSlice {
  UniqueFd fd;
  uint64_t offset = 0;
  uint64_t length = 0;
};

struct Response {
  int status = 200;
  Headers headers;
  // Exactly one body kind is used: `file` if set, else `stream` if set, else `body`.
  std::string body;
  std::optional<FileSlice> file;
  std::unique_ptr<ByteSource> stream;       // sent chunked unless stream_length is set
  std::optional<uint64_t> stream_length;
  // For HEAD answers: the Content-Length to announce (the size of what GET would send).
  std::optional<uint64_t> head_length;

  static Response json(int status, std::string body);
  static Response text(int status, std::string body, std::string content_type = "text/plain; charset=utf-8");
};

using Handler = std::function<Result<Response>(Request&)>;

// Renders an Error as the Hub does (spec §1.6): status, X-Error-Code, X-Error-Message and a
// JSON body {"error": message, ...extra}.
Response error_response(const Error& e);

}  // namespace wharf::http
