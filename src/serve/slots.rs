//! How many connections the preview holds open at once, and which one gives way. Each open
//! connection has a slot (and a thread); a connection that is waiting for a request can be
//! evicted (shut down) to make room for a new one, the one waiting longest first, so idle and
//! slow clients never lock a browser out. Event streams have slots of their own, fewer.

use std::collections::BTreeMap;
use std::net::{Shutdown, TcpStream};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// The most connections open at once (each has a thread).
pub const MAX_CONNECTIONS: usize = 128;
/// The most event streams (open preview pages) at once.
pub const MAX_EVENT_STREAMS: usize = 32;
/// The fewest connections the preview keeps room for when file handles run out.
const MIN_CONNECTIONS: usize = 16;
/// File handles kept free for reading the output and building, when they run out.
const SPARE_HANDLES: usize = 16;

pub struct Slots {
    state: Mutex<State>,
    freed: Condvar,
}

struct State {
    /// The most connections open at once: [`MAX_CONNECTIONS`], or fewer once file handles ran out.
    cap: usize,
    open: usize,
    /// Evicted connections whose threads have not ended yet.
    leaving: usize,
    streams: usize,
    /// Connections waiting for a request, by the order they began to wait.
    waiting: BTreeMap<u64, Arc<TcpStream>>,
    next: u64,
}

impl State {
    /// Shuts down the connection that has waited longest; false if none is waiting.
    fn evict_one(&mut self) -> bool {
        match self.waiting.pop_first() {
            Some((_, stream)) => {
                let _ = stream.shutdown(Shutdown::Both);
                self.leaving += 1;
                true
            }
            None => false,
        }
    }
}

impl Default for Slots {
    fn default() -> Slots {
        Slots {
            state: Mutex::new(State {
                cap: MAX_CONNECTIONS,
                open: 0,
                leaving: 0,
                streams: 0,
                waiting: BTreeMap::new(),
                next: 0,
            }),
            freed: Condvar::new(),
        }
    }
}

impl Slots {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A slot for a new connection: when all are taken, the connections waiting longest for a
    /// request are evicted and their slots awaited up to `patience`. `None` if every slot stays
    /// busy (serving requests or event streams).
    pub fn admit(self: &Arc<Self>, patience: Duration) -> Option<Ticket> {
        let deadline = Instant::now() + patience;
        let mut state = self.lock();
        while state.open >= state.cap {
            while state.open - state.leaving >= state.cap && state.evict_one() {}
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return None;
            }
            state = self
                .freed
                .wait_timeout(state, left)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
        state.open += 1;
        Some(Ticket {
            slots: self.clone(),
            waiting: None,
            evicted: false,
        })
    }

    /// File handles ran out: keeps fewer connections from now on (leaving handles for the
    /// output and the build) and evicts waiting ones down to that. Returns the new most.
    pub fn shrink(&self) -> usize {
        let mut state = self.lock();
        let open = state.open - state.leaving;
        state.cap = open
            .saturating_sub(SPARE_HANDLES)
            .clamp(MIN_CONNECTIONS, state.cap);
        while state.open - state.leaving > state.cap && state.evict_one() {}
        state.cap
    }

    /// Evicts one waiting connection, if any.
    pub fn evict_one(&self) -> bool {
        self.lock().evict_one()
    }
}

/// A connection's slot, given back when dropped.
pub struct Ticket {
    slots: Arc<Slots>,
    /// The place in the waiting line while waiting for a request.
    waiting: Option<u64>,
    evicted: bool,
}

impl Ticket {
    /// The connection waits for a request: it may be evicted until [`Ticket::serving`].
    pub fn wait(&mut self, stream: &Arc<TcpStream>) {
        let mut state = self.slots.lock();
        let id = state.next;
        state.next += 1;
        state.waiting.insert(id, stream.clone());
        self.waiting = Some(id);
    }

    /// A request came: the connection can no longer be evicted. False if it was evicted.
    pub fn serving(&mut self) -> bool {
        if let Some(id) = self.waiting.take() {
            let mut state = self.slots.lock();
            self.evicted = state.waiting.remove(&id).is_none();
        }
        !self.evicted
    }

    /// A slot for an event stream, held until dropped; `None` when all are taken.
    pub fn event_stream(&self) -> Option<StreamSlot> {
        let mut state = self.slots.lock();
        if state.streams >= MAX_EVENT_STREAMS {
            return None;
        }
        state.streams += 1;
        Some(StreamSlot(self.slots.clone()))
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        self.serving();
        let mut state = self.slots.lock();
        state.open -= 1;
        if self.evicted {
            state.leaving -= 1;
        }
        drop(state);
        self.slots.freed.notify_all();
    }
}

/// An event stream's slot.
pub struct StreamSlot(Arc<Slots>);

impl Drop for StreamSlot {
    fn drop(&mut self) {
        self.0.lock().streams -= 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;
    use std::net::TcpListener;

    /// A connected pair of loopback sockets: (the server's end, the client's end).
    fn pair(listener: &TcpListener) -> (Arc<TcpStream>, TcpStream) {
        let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (server, _) = listener.accept().unwrap();
        (Arc::new(server), client)
    }

    #[test]
    fn the_connection_waiting_longest_gives_way() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let slots = Arc::new(Slots::default());
        let mut tickets = Vec::new();
        let mut clients = Vec::new();
        for _ in 0..MAX_CONNECTIONS {
            let mut ticket = slots.admit(Duration::ZERO).unwrap();
            let (server, client) = pair(&listener);
            ticket.wait(&server);
            tickets.push(ticket);
            clients.push(client);
        }
        // The first is evicted; its thread would see the end of its stream and give the slot
        // back: here the ticket is dropped by hand, from another thread.
        let first = tickets.remove(0);
        let mut first_client = clients.remove(0);
        let handle = std::thread::spawn(move || {
            let mut byte = [0u8; 1];
            assert_eq!(first_client.read(&mut byte).unwrap(), 0, "shut down");
            drop(first);
        });
        let ticket = slots.admit(Duration::from_secs(10));
        assert!(ticket.is_some());
        handle.join().unwrap();
        // A connection that is serving a request is not evicted.
        for ticket in &mut tickets {
            assert!(ticket.serving());
        }
        assert!(slots.admit(Duration::from_millis(10)).is_none());
    }

    #[test]
    fn event_streams_have_their_own_limit() {
        let slots = Arc::new(Slots::default());
        let ticket = slots.admit(Duration::ZERO).unwrap();
        let streams: Vec<_> = (0..MAX_EVENT_STREAMS)
            .map(|_| ticket.event_stream().unwrap())
            .collect();
        assert!(ticket.event_stream().is_none());
        drop(streams);
        assert!(ticket.event_stream().is_some());
    }

    #[test]
    fn running_out_of_handles_keeps_fewer_connections() {
        let slots = Arc::new(Slots::default());
        let tickets: Vec<_> = (0..40)
            .map(|_| slots.admit(Duration::ZERO).unwrap())
            .collect();
        assert_eq!(slots.shrink(), 40 - SPARE_HANDLES);
        assert!(slots.admit(Duration::from_millis(10)).is_none());
        drop(tickets);
        assert_eq!(slots.shrink(), MIN_CONNECTIONS);
    }
}
