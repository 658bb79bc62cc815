package domain

import "time"

// Inbound is an update a platform delivered (a message, a button press),
// kept from the moment it is taken until it is answered, so that a stop in
// between does not lose it.
type Inbound struct {
	ID   int64     // the platform's update ID; increasing
	At   time.Time // when the bot took it
	Body []byte    // the update as the platform sent it (JSON)
}
