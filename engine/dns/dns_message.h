#pragma once
/// The small part of the DNS wire format (RFC 1035) the embedded resolver needs: read a
/// query's header and first question, build an answer with A, AAAA or PTR records (names
/// compressed to the question), NXDOMAIN/SERVFAIL, and build a query (for tests and
/// forwarding checks). Pure functions over bytes; thread-safe.

#include "engine/base/result.h"

#include <cstdint>
#include <string>
#include <vector>

namespace wharf::engine::dns {

enum : uint16_t { TypeA = 1, TypePtr = 12, TypeMx = 15, TypeAaaa = 28, ClassIn = 1 };
enum : uint8_t { RcodeOk = 0, RcodeFormErr = 1, RcodeServFail = 2, RcodeNxDomain = 3, RcodeNotImp = 4 };

struct Query {
    uint16_t id = 0;
    uint16_t flags = 0;
    std::string name; ///< lower-cased, no trailing dot: "web.example"
    uint16_t type = 0;
    uint16_t klass = 0;
    size_t question_end = 0; ///< offset just past the first question
};

struct Record {
    uint16_t type = TypeA;
    uint32_t ttl = 600;
    std::vector<uint8_t> data; ///< A: 4 bytes; AAAA: 16; PTR: an encoded name
};

/// Parses a query; Invalid when the message is truncated, a response, or has no question.
Result<Query> parse_query(const std::vector<uint8_t>& message);

/// The answer to `query` (its question copied from `message`): flags QR, AA, RA, RD as asked.
std::vector<uint8_t> build_response(const std::vector<uint8_t>& message, const Query& query,
                                    const std::vector<Record>& answers, uint8_t rcode = RcodeOk);

/// "a.b" -> length-prefixed labels with the terminating zero.
std::vector<uint8_t> encode_name(const std::string& name);
/// A standard query with RD set.
std::vector<uint8_t> build_query(uint16_t id, const std::string& name, uint16_t type);

/// Answers of a response, for tests: type and rdata per record; rcode in `rcode`.
Result<std::vector<Record>> parse_response(const std::vector<uint8_t>& message, uint8_t& rcode);

/// "4.3.2.1.in-addr.arpa" -> "1.2.3.4"; empty when not a reverse IPv4 name.
std::string reverse_ipv4(const std::string& name);

} // namespace wharf::engine::dns
