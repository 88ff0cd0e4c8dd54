/* global document, location, WebSocket */
// The reference app's chat page: logs in with the OAuth2 password form, then opens the room's
// WebSocket with the access token in the `Sec-WebSocket-Protocol` bearer convention (browsers
// cannot set an Authorization header on a WebSocket), and shows messages and presence.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  let socket = null;

  function line(text, kind, timestamp) {
    const li = document.createElement("li");
    if (kind) li.className = kind;
    if (timestamp) {
      const time = document.createElement("time");
      time.dateTime = timestamp;
      time.textContent = new Date(timestamp).toLocaleTimeString();
      li.append(time);
    }
    li.append(document.createTextNode(text));
    $("messages").append(li);
    $("messages").scrollTop = $("messages").scrollHeight;
  }

  function onEvent(event) {
    if (typeof event.users_count === "number") $("users-count").textContent = String(event.users_count);
    if (event.type === "message") line(`${event.user.username}: ${event.content}`, "message", event.timestamp);
    else if (event.type === "user_joined") line(`${event.user.username} joined`, "event", event.timestamp);
    else if (event.type === "user_left") line(`${event.user.username} left`, "event", event.timestamp);
    else if (event.type === "error") $("error").textContent = event.detail.map((d) => d.msg).join("; ");
  }

  async function login(username, password) {
    const body = new URLSearchParams({ grant_type: "password", username, password, scope: "read write" });
    const res = await fetch("/auth/token", { method: "POST", body });
    if (!res.ok) throw new Error((await res.json()).detail || `login failed (${res.status})`);
    return (await res.json()).access_token;
  }

  $("login").addEventListener("submit", async (e) => {
    e.preventDefault();
    $("error").textContent = "";
    try {
      const token = await login($("username").value, $("password").value);
      const room = $("room").value;
      const scheme = location.protocol === "https:" ? "wss" : "ws";
      socket = new WebSocket(`${scheme}://${location.host}/ws/${encodeURIComponent(room)}`, ["bearer", token]);
      $("room-name").textContent = `#${room}`;
      $("login").hidden = true;
      $("chat").hidden = false;
      socket.addEventListener("open", () => { $("status").textContent = "connected"; $("content").focus(); });
      socket.addEventListener("message", (m) => onEvent(JSON.parse(m.data)));
      socket.addEventListener("close", (c) => { $("status").textContent = `disconnected (${c.code})`; });
    } catch (err) {
      $("error").textContent = err.message;
    }
  });

  $("send").addEventListener("submit", (e) => {
    e.preventDefault();
    const content = $("content").value;
    if (!socket || socket.readyState !== WebSocket.OPEN || content === "") return;
    socket.send(JSON.stringify({ content }));
    $("content").value = "";
  });
})();
