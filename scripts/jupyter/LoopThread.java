package org.rapaio.jupyter.kernel.channels;

/**
 * Drop-in replacement for rapaio-jupyter-kernel 3.0.1's LoopThread, put on the kernel's class
 * path before the kernel jar. Closes two start-up races that make a fresh kernel ignore the
 * client ("Kernel didn't respond"): running was set only after Thread.start(), and an exception
 * from one loop pass (NPE: handler map not yet assigned) ended the thread.
 */
public final class LoopThread extends Thread {

    private static final int MAX_CONSECUTIVE_FAILURES = 100;

    private volatile boolean running = true;
    private final long sleep;
    private final Runnable loopBody;

    public LoopThread(String name, long sleep, Runnable loopBody) {
        super(name);
        this.sleep = sleep;
        this.loopBody = loopBody;
    }

    @Override
    public void run() {
        int failures = 0;
        while (running) {
            try {
                loopBody.run();
                failures = 0;
            } catch (RuntimeException e) {
                if (!running || ++failures > MAX_CONSECUTIVE_FAILURES) {
                    return;
                }
                System.err.println(getName() + ": loop pass failed, going on: " + e);
            }
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                running = false;
                return;
            }
        }
    }

    @Override
    public synchronized void start() {
        running = true;
        super.start();
    }

    public void shutdown() {
        running = false;
    }
}
