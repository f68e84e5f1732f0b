// The browser's device cookie: set once, first-party, so a device's limit and its one vote per poll hold across
// reloads and new tabs. Its value is the server's own token (never typed input); the database keeps its keyed hash.
export default function ({ data }) {
  const taken = document.cookie.split("; ").some((pair) => pair.startsWith(data.name + "="));
  if (!taken) {
    document.cookie = `${data.name}=${encodeURIComponent(data.value)}; Max-Age=${data.max_age}; Path=/; SameSite=Lax`;
  }
}
