#pragma once
/// Result<T>: a value or an Error, shaped like C++23 std::expected so that the
/// switch to it later is mechanical (has_value, value, error, operator bool).
///
/// Use TRY(expr) inside a function returning Result<U> to unwrap or return the
/// error; TRY_CTX(expr, frame) adds a context frame on the way out.

#include "engine/base/error.h"

#include <cassert>
#include <utility>
#include <variant>

namespace wharf {

template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : m_v(std::in_place_index<0>, std::move(value)) {}
    Result(Error error) : m_v(std::in_place_index<1>, std::move(error)) {}
    template <typename U>
        requires(std::is_constructible_v<T, U&&> && !std::is_same_v<std::decay_t<U>, Error> &&
                 !std::is_same_v<std::decay_t<U>, T> && !std::is_same_v<std::decay_t<U>, Result>)
    Result(U&& value) : m_v(std::in_place_index<0>, T(std::forward<U>(value))) {}

    bool has_value() const { return m_v.index() == 0; }
    explicit operator bool() const { return has_value(); }

    T& value() & { assert(has_value()); return std::get<0>(m_v); }
    const T& value() const& { assert(has_value()); return std::get<0>(m_v); }
    T&& value() && { assert(has_value()); return std::get<0>(std::move(m_v)); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T&& operator*() && { return std::move(*this).value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    Error& error() & { assert(!has_value()); return std::get<1>(m_v); }
    const Error& error() const& { assert(!has_value()); return std::get<1>(m_v); }
    Error&& error() && { assert(!has_value()); return std::get<1>(std::move(m_v)); }

    T value_or(T fallback) const& { return has_value() ? value() : std::move(fallback); }

private:
    std::variant<T, Error> m_v;
};

template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)) {}

    bool has_value() const { return !m_error.has_value(); }
    explicit operator bool() const { return has_value(); }
    void value() const { assert(has_value()); }

    Error& error() & { return *m_error; }
    const Error& error() const& { return *m_error; }
    Error&& error() && { return std::move(*m_error); }

private:
    std::optional<Error> m_error;
};

/// Success for Result<void>.
inline Result<void> ok() { return {}; }

} // namespace wharf

// GNU statement expressions (g++ and clang): evaluate, return the error, or yield the value.
#define TRY(expr)                                                                                  \
    ({                                                                                             \
        auto _wharf_try = (expr);                                                                  \
        if (!_wharf_try.has_value())                                                               \
            return std::move(_wharf_try).error();                                                  \
        std::move(_wharf_try).value();                                                             \
    })

#define TRY_CTX(expr, frame)                                                                       \
    ({                                                                                             \
        auto _wharf_try = (expr);                                                                  \
        if (!_wharf_try.has_value())                                                               \
            return std::move(_wharf_try).error().context(frame);                                   \
        std::move(_wharf_try).value();                                                             \
    })
