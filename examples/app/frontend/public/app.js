// Talks to the API through the frontend's /api/ forward: GET and POST /api/notes.
const statusLine = document.getElementById("status");
const list = document.getElementById("notes");
const empty = document.getElementById("empty");

async function api(path, options) {
  const response = await fetch("/api/" + path, options);
  const body = await response.json();
  if (!response.ok) throw new Error(body.error || response.statusText);
  return body;
}

async function showHealth() {
  try {
    const h = await api("health");
    statusLine.textContent = `API ok · ${h.database.server} at ${h.database.host} (${h.database.address})`;
    statusLine.className = "status ok";
  } catch (e) {
    statusLine.textContent = "API unavailable: " + e.message;
    statusLine.className = "status error";
  }
}

async function showNotes() {
  const notes = await api("notes");
  list.replaceChildren(...notes.map((n) => {
    const li = document.createElement("li");
    li.dataset.id = n.id;
    li.textContent = n.text;
    const time = document.createElement("time");
    time.dateTime = n.created;
    time.textContent = new Date(n.created).toLocaleString();
    li.append(" ", time);
    return li;
  }));
  empty.hidden = notes.length > 0;
}

document.getElementById("new-note").addEventListener("submit", async (event) => {
  event.preventDefault();
  const input = document.getElementById("text");
  await api("notes", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ text: input.value }),
  });
  input.value = "";
  await showNotes();
});

showHealth();
showNotes().catch((e) => { statusLine.textContent = "Could not load notes: " + e.message; });
