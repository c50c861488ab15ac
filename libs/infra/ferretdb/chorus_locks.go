package handler

import "sync"

// chorusLocks serializes, per collection, the commands that read documents and then write them
// (update, findAndModify, delete). Without it two concurrent conditional updates of one document
// both match and both write, each overwriting the other (this FerretDB process is the only writer
// of its SQLite files, so a lock here makes them atomic, as on MongoDB). Added by Chorus.
var chorusLocks sync.Map

func chorusLock(db, collection string) func() {
	m, _ := chorusLocks.LoadOrStore(db+"."+collection, new(sync.Mutex))
	mu := m.(*sync.Mutex)
	mu.Lock()
	return mu.Unlock
}
