package io.tribute.payout;

import io.grpc.StatusRuntimeException;
import io.tribute.payout.v1.PayoutServiceGrpc.PayoutServiceBlockingStub;
import io.tribute.payout.v1.RecordRevenueRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** RecordRevenue calls sent at the same moment, each from its own thread. */
public final class SimultaneousRevenues {

    private SimultaneousRevenues() {
    }

    /** Each call's outcome, in the order of the calls: its response or the failure it met. */
    public static List<Object> record(PayoutServiceBlockingStub payout, List<RecordRevenueRequest> calls)
            throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(calls.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Object>> pending = new ArrayList<>();
            for (RecordRevenueRequest call : calls) {
                pending.add(callers.submit(() -> {
                    start.await();
                    try {
                        return payout.withDeadlineAfter(60, TimeUnit.SECONDS).recordRevenue(call);
                    } catch (StatusRuntimeException failure) {
                        return failure;
                    }
                }));
            }
            start.countDown();
            List<Object> outcomes = new ArrayList<>();
            for (Future<Object> call : pending) {
                outcomes.add(call.get(90, TimeUnit.SECONDS));
            }
            return outcomes;
        } finally {
            callers.shutdownNow();
        }
    }
}
