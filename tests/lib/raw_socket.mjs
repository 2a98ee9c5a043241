// A raw TCP exchange with the server, for requests no HTTP client would send: bodies cut
// short, wrong lengths, connections dropped mid-stream.
import { connect } from "node:net";

// Writes `chunks` to a new connection to `port` (20 ms apart), then after `waitMs` either
// ends it or (`destroy`) drops it. Resolves to whatever the server sent back.
export function rawExchange(port, chunks, { destroy = false, waitMs = 150 } = {}) {
  return new Promise((resolve) => {
    const sock = connect(port, "127.0.0.1");
    let got = "";
    sock.on("data", (d) => (got += d.toString("latin1")));
    sock.on("error", () => {});
    sock.on("close", () => resolve(got));
    sock.on("connect", async () => {
      for (const c of chunks) {
        sock.write(c);
        await new Promise((r) => setTimeout(r, 20));
      }
      setTimeout(() => (destroy ? sock.destroy() : sock.end()), waitMs);
    });
  });
}
