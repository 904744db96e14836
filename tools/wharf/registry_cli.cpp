#include "tools/wharf/registry_cli.h"

#include "engine/image/image_store.h"

#include <algorithm>
#include <chrono>
#include <ostream>

namespace wharf::cli {

namespace {
int64_t now_ms()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}
} // namespace

std::string progress_bar(uint64_t current, uint64_t total)
{
    std::string size = engine::human_size(current);
    if (total == 0)
        return size;
    constexpr int kWidth = 50;
    int filled = static_cast<int>(static_cast<double>(std::min(current, total)) / static_cast<double>(total) * kWidth);
    std::string bar = "[";
    for (int i = 0; i < kWidth; ++i)
        bar += i < filled - 1 ? '=' : (i == filled - 1 ? '>' : ' ');
    bar += "] ";
    return bar + " " + size + "/" + engine::human_size(total);
}

void LayerProgress::draw(const std::string& id, const std::string& text)
{
    auto it = std::find(m_order.begin(), m_order.end(), id);
    if (it == m_order.end()) {
        m_order.push_back(id);
        m_out << id << ": " << text << "\n";
    } else {
        // Up to the layer's line, rewrite it, back down (as Docker's jsonmessage does).
        long up = static_cast<long>(m_order.end() - it);
        m_out << "\033[" << up << "A\r\033[2K" << id << ": " << text << "\r\033[" << up << "B";
    }
    m_out.flush();
}

void LayerProgress::status(const std::string& id, const std::string& text)
{
    if (m_last[id] == text)
        return;
    m_last[id] = text;
    if (m_terminal)
        draw(id, text);
    else
        m_out << id << ": " << text << "\n" << std::flush;
}

void LayerProgress::bytes(const std::string& id, const std::string& action, uint64_t current, uint64_t total)
{
    if (!m_terminal)
        return;
    int64_t t = now_ms();
    if (auto it = m_drawn_at.find(id); it != m_drawn_at.end() && t - it->second < 100 && current < total)
        return;
    m_drawn_at[id] = t;
    std::string text = action + " " + progress_bar(current, total);
    m_last[id] = text;
    draw(id, text);
}

void LayerProgress::line(const std::string& text) { m_out << text << "\n" << std::flush; }

std::string registry_host_of(const std::string& server)
{
    std::string s = server;
    if (s.starts_with("http://"))
        s = s.substr(7);
    else if (s.starts_with("https://"))
        s = s.substr(8);
    if (auto slash = s.find('/'); slash != std::string::npos)
        s = s.substr(0, slash);
    if (s.empty() || s == "docker.io" || s == "index.docker.io" || s == "registry-1.docker.io")
        return "docker.io";
    return s;
}

std::string registry_api_host(const std::string& host)
{
    return host == "docker.io" ? "registry-1.docker.io" : host;
}

} // namespace wharf::cli
