package io.tribute.payout.chain;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.Event;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.exceptions.ClientConnectionException;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * The one owner of every web3j call: JSON-RPC to the chain's node (each with a timeout), signing with the payer
 * key, and the TributePayouts ABI. Transport failures surface as {@link ChainUnavailableException}, JSON-RPC
 * errors as {@link ChainRpcException}; no web3j type leaves this class.
 */
public class ChainClient implements AutoCloseable {

    /** bytes32 zero (an unset checkpoint root). */
    public static final String ZERO_ROOT = "0x" + "0".repeat(64);

    private static final Event BATCH_PAID = new Event("BatchPaid", List.of(
            new TypeReference<Bytes32>(true) { }, new TypeReference<Address>(true) { },
            new TypeReference<Bytes32>(true) { }, new TypeReference<Address>() { },
            new TypeReference<Uint256>() { }, new TypeReference<Uint256>() { },
            new TypeReference<Bytes32>() { }, new TypeReference<Uint256>() { }));
    private static final String BATCH_PAID_TOPIC = EventEncoder.encode(BATCH_PAID);

    private final Web3j web3;
    private final Credentials payer;
    private final String rpcUrl;

    /**
     * @param privateKey the payer's key (hex), or null for a client that only reads; kept only inside web3j's
     *                   Credentials, never logged
     */
    public ChainClient(String rpcUrl, String privateKey, Duration timeout) {
        OkHttpClient http = new OkHttpClient.Builder()
                .callTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .connectTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .build();
        this.web3 = Web3j.build(new HttpService(rpcUrl, http));
        this.payer = privateKey == null ? null : Credentials.create(privateKey);
        this.rpcUrl = rpcUrl;
    }

    /** The payer's address (lowercase "0x..."). */
    public String payerAddress() {
        return signer().getAddress();
    }

    /** True if this client holds a key it can sign with. */
    public boolean canSign() {
        return payer != null;
    }

    public long chainId() {
        return send("eth_chainId", web3.ethChainId()).getChainId().longValueExact();
    }

    public long blockNumber() {
        return send("eth_blockNumber", web3.ethBlockNumber()).getBlockNumber().longValueExact();
    }

    /** The payer's next nonce, counting transactions the node holds but has not mined. */
    public long pendingNonce() {
        return send("eth_getTransactionCount",
                web3.ethGetTransactionCount(payerAddress(), DefaultBlockParameterName.PENDING))
                .getTransactionCount().longValueExact();
    }

    /** The payer's nonce counting mined transactions only. */
    public long minedNonce() {
        return send("eth_getTransactionCount",
                web3.ethGetTransactionCount(payerAddress(), DefaultBlockParameterName.LATEST))
                .getTransactionCount().longValueExact();
    }

    public BigInteger nativeBalance(String address) {
        return send("eth_getBalance", web3.ethGetBalance(address, DefaultBlockParameterName.LATEST)).getBalance();
    }

    public BigInteger tokenBalance(String token, String holder) {
        return uint(call(token, new Function("balanceOf", List.of(new Address(holder)),
                List.of(new TypeReference<Uint256>() { }))));
    }

    public BigInteger tokenAllowance(String token, String owner, String spender) {
        return uint(call(token, new Function("allowance", List.of(new Address(owner), new Address(spender)),
                List.of(new TypeReference<Uint256>() { }))));
    }

    /** TributePayouts.executed(batchId). */
    public boolean batchExecuted(String contract, String batchId) {
        List<Type> result = call(contract, new Function("executed", List.of(bytes32(batchId)),
                List.of(new TypeReference<Bool>() { })));
        return (Boolean) result.get(0).getValue();
    }

    /** TributePayouts.checkpointRootOf(batchId). */
    public String checkpointRootOf(String contract, String batchId) {
        List<Type> result = call(contract, new Function("checkpointRootOf", List.of(bytes32(batchId)),
                List.of(new TypeReference<Bytes32>() { })));
        return Numeric.toHexString((byte[]) result.get(0).getValue());
    }

    /** TributePayouts.credits(recipient): native ether held for a recipient that rejected it. */
    public BigInteger creditOf(String contract, String recipient) {
        return uint(call(contract, new Function("credits", List.of(new Address(recipient)),
                List.of(new TypeReference<Uint256>() { }))));
    }

    /** TributePayouts.hasRole(PAYER_ROLE, account). */
    public boolean isPayer(String contract, String account) {
        List<Type> result = call(contract, new Function("hasRole",
                List.of(bytes32(Hash.sha3String("PAYER_ROLE")), new Address(account)),
                List.of(new TypeReference<Bool>() { })));
        return (Boolean) result.get(0).getValue();
    }

    /** The fees to offer now: twice the latest base fee plus the node's suggested priority fee. */
    public Fees currentFees() {
        BigInteger baseFee = send("eth_getBlockByNumber",
                web3.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false)).getBlock().getBaseFeePerGas();
        BigInteger priority = send("eth_maxPriorityFeePerGas", web3.ethMaxPriorityFeePerGas())
                .getMaxPriorityFeePerGas();
        return new Fees(baseFee.shiftLeft(1).add(priority), priority);
    }

    /** The node's gas estimate for the payer paying this batch (fails with ChainRpcException if it would revert). */
    public BigInteger estimatePayment(String contract, PaymentBatch batch) {
        return estimate(contract, paymentData(batch), batch.isNative() ? batch.total() : BigInteger.ZERO);
    }

    /** The node's gas estimate of one plain ERC-20 transfer from the payer (for comparison in benchmarks). */
    public BigInteger estimateTokenTransfer(String token, String to, BigInteger amount) {
        return estimate(token, FunctionEncoder.encode(transfer(to, amount)), BigInteger.ZERO);
    }

    /** Signs the payment of {@code batch} through {@code contract} with the given nonce, gas limit and fees. */
    public SignedTransaction signPayment(String contract, PaymentBatch batch, long nonce, BigInteger gasLimit,
            Fees fees) {
        return sign(contract, batch.isNative() ? batch.total() : BigInteger.ZERO, paymentData(batch), nonce,
                gasLimit, fees);
    }

    /** Signs an ERC-20 approve(spender, amount) by the payer. */
    public SignedTransaction signApprove(String token, String spender, BigInteger amount, long nonce, Fees fees) {
        String data = FunctionEncoder.encode(new Function("approve",
                List.of(new Address(spender), new Uint256(amount)), List.of()));
        return sign(token, BigInteger.ZERO, data, nonce, estimate(token, data, BigInteger.ZERO), fees);
    }

    /** Signs TestToken.mint(to, amount) (local chains only). */
    public SignedTransaction signMint(String token, String to, BigInteger amount, long nonce, Fees fees) {
        String data = FunctionEncoder.encode(new Function("mint",
                List.of(new Address(to), new Uint256(amount)), List.of()));
        return sign(token, BigInteger.ZERO, data, nonce, estimate(token, data, BigInteger.ZERO), fees);
    }

    /** Signs a plain ERC-20 transfer by the payer. */
    public SignedTransaction signTokenTransfer(String token, String to, BigInteger amount, long nonce, Fees fees) {
        String data = FunctionEncoder.encode(transfer(to, amount));
        return sign(token, BigInteger.ZERO, data, nonce, estimate(token, data, BigInteger.ZERO), fees);
    }

    /** Signs a plain native-ether transfer by the payer. */
    public SignedTransaction signNativeTransfer(String to, BigInteger amount, long nonce, Fees fees) {
        return sign(to, amount, "0x", nonce, estimate(to, "0x", amount), fees);
    }

    /** Signs a call of a function taking only addresses (tests and local tooling). */
    public SignedTransaction signCall(String to, String function, List<String> addresses, long nonce, Fees fees) {
        List<Type> arguments = new ArrayList<>();
        addresses.forEach(address -> arguments.add(new Address(address)));
        String data = FunctionEncoder.encode(new Function(function, arguments, List.of()));
        return sign(to, BigInteger.ZERO, data, nonce, estimate(to, data, BigInteger.ZERO), fees);
    }

    /** Signs the deployment of a compiled contract; constructor arguments are addresses. */
    public SignedTransaction signDeployment(String contractName, List<String> constructorAddresses, long nonce,
            Fees fees) {
        List<Type> arguments = new ArrayList<>();
        constructorAddresses.forEach(address -> arguments.add(new Address(address)));
        String data = ContractArtifacts.bytecode(contractName) + FunctionEncoder.encodeConstructor(arguments);
        return sign(null, BigInteger.ZERO, data, nonce, estimate(null, data, BigInteger.ZERO), fees);
    }

    /** Broadcasts a signed transaction; a node that already has it answers with a ChainRpcException saying so. */
    public String broadcast(SignedTransaction transaction) {
        return send("eth_sendRawTransaction", web3.ethSendRawTransaction(transaction.rawHex())).getTransactionHash();
    }

    /** The receipt of a transaction, if the node has one (it disappears when a reorganisation drops the block). */
    public Optional<ChainReceipt> receipt(String transactionHash) {
        Optional<TransactionReceipt> receipt = send("eth_getTransactionReceipt",
                web3.ethGetTransactionReceipt(transactionHash)).getTransactionReceipt();
        return receipt.map(this::toReceipt);
    }

    /** True if the node knows the transaction, pending in its pool or on its chain. */
    public boolean knowsTransaction(String transactionHash) {
        return send("eth_getTransactionByHash", web3.ethGetTransactionByHash(transactionHash)).getTransaction()
                .isPresent();
    }

    /** The BatchPaid events of {@code contract} in blocks from..to (inclusive). */
    public List<BatchPaidEvent> batchPaidEvents(String contract, long fromBlock, long toBlock) {
        EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(BigInteger.valueOf(fromBlock)),
                DefaultBlockParameter.valueOf(BigInteger.valueOf(toBlock)), contract);
        filter.addSingleTopic(BATCH_PAID_TOPIC);
        List<BatchPaidEvent> events = new ArrayList<>();
        for (EthLog.LogResult<?> result : send("eth_getLogs", web3.ethGetLogs(filter)).getLogs()) {
            events.add(toEvent((Log) result.get()));
        }
        return events;
    }

    /** keccak256(abi.encodePacked(recipients, amounts)), as the contract's BatchPaid event carries it. */
    public static String recipientsDigest(List<String> recipients, List<BigInteger> amounts) {
        byte[] packed = new byte[32 * (recipients.size() + amounts.size())];
        int offset = 0;
        for (String recipient : recipients) {
            System.arraycopy(Numeric.toBytesPadded(Numeric.toBigInt(recipient), 32), 0, packed, offset, 32);
            offset += 32;
        }
        for (BigInteger amount : amounts) {
            System.arraycopy(Numeric.toBytesPadded(amount, 32), 0, packed, offset, 32);
            offset += 32;
        }
        return Numeric.toHexString(Hash.sha3(packed));
    }

    /** True if {@code address} is a well-formed 20-byte hex address. */
    public static boolean isAddress(String address) {
        return address != null && address.matches("0x[0-9a-fA-F]{40}");
    }

    @Override
    public void close() {
        web3.shutdown();
    }

    @Override
    public String toString() {
        return "ChainClient[" + rpcUrl + (payer == null ? ", read-only" : ", payer " + payer.getAddress()) + "]";
    }

    private Credentials signer() {
        if (payer == null) {
            throw new IllegalStateException("tribute.payout.chain.private-key is not set: this replica cannot sign");
        }
        return payer;
    }

    private static Function transfer(String to, BigInteger amount) {
        return new Function("transfer", List.of(new Address(to), new Uint256(amount)), List.of());
    }

    private static String paymentData(PaymentBatch batch) {
        List<Address> recipients = batch.recipients().stream().map(Address::new).toList();
        List<Uint256> amounts = batch.amounts().stream().map(Uint256::new).toList();
        List<Type> arguments = new ArrayList<>();
        arguments.add(bytes32(batch.batchId()));
        arguments.add(bytes32(batch.checkpointRoot()));
        if (!batch.isNative()) {
            arguments.add(new Address(batch.token()));
            arguments.add(new Uint256(batch.total()));
        }
        arguments.add(new DynamicArray<>(Address.class, recipients));
        arguments.add(new DynamicArray<>(Uint256.class, amounts));
        return FunctionEncoder.encode(new Function(batch.isNative() ? "payNative" : "payToken", arguments, List.of()));
    }

    private SignedTransaction sign(String to, BigInteger value, String data, long nonce, BigInteger gasLimit,
            Fees fees) {
        long chainId = chainId();
        RawTransaction raw = RawTransaction.createTransaction(chainId, BigInteger.valueOf(nonce), gasLimit,
                to == null ? "" : to, value, data, fees.maxPriorityFeePerGas(), fees.maxFeePerGas());
        byte[] signed = TransactionEncoder.signMessage(raw, signer());
        return new SignedTransaction(Numeric.toHexString(signed), Numeric.toHexString(Hash.sha3(signed)), nonce,
                gasLimit, fees.maxFeePerGas(), fees.maxPriorityFeePerGas());
    }

    private BigInteger estimate(String to, String data, BigInteger value) {
        Transaction call = Transaction.createFunctionCallTransaction(payerAddress(), null, null, null, to,
                value, data);
        return send("eth_estimateGas", web3.ethEstimateGas(call)).getAmountUsed();
    }

    private List<Type> call(String to, Function function) {
        String output = send("eth_call", web3.ethCall(Transaction.createEthCallTransaction(payer == null ? null : payer.getAddress(), to,
                FunctionEncoder.encode(function)), DefaultBlockParameterName.LATEST)).getValue();
        return FunctionReturnDecoder.decode(output, function.getOutputParameters());
    }

    private ChainReceipt toReceipt(TransactionReceipt receipt) {
        List<BatchPaidEvent> events = receipt.getLogs().stream()
                .filter(log -> !log.getTopics().isEmpty() && BATCH_PAID_TOPIC.equals(log.getTopics().get(0)))
                .map(ChainClient::toEvent)
                .toList();
        BigInteger effectiveGasPrice = receipt.getEffectiveGasPrice() == null
                ? BigInteger.ZERO : Numeric.decodeQuantity(receipt.getEffectiveGasPrice());
        return new ChainReceipt(receipt.getTransactionHash(), receipt.getBlockNumber().longValueExact(),
                receipt.getBlockHash(), receipt.isStatusOK(), receipt.getGasUsed(), effectiveGasPrice,
                receipt.getContractAddress(), events);
    }

    private static BatchPaidEvent toEvent(Log log) {
        List<String> topics = log.getTopics();
        List<Type> data = FunctionReturnDecoder.decode(log.getData(), BATCH_PAID.getNonIndexedParameters());
        String token = "0x" + topics.get(2).substring(topics.get(2).length() - 40);
        return new BatchPaidEvent(topics.get(1), new BigInteger(token.substring(2), 16).signum() == 0 ? null : token,
                topics.get(3), (String) data.get(0).getValue(),
                ((BigInteger) data.get(1).getValue()).longValueExact(), (BigInteger) data.get(2).getValue(),
                Numeric.toHexString((byte[]) data.get(3).getValue()),
                ((BigInteger) data.get(4).getValue()).longValueExact(),
                log.getTransactionHash(), log.getBlockNumber().longValueExact());
    }

    private static Bytes32 bytes32(String hex) {
        return new Bytes32(Numeric.hexStringToByteArray(hex));
    }

    private static BigInteger uint(List<Type> result) {
        return (BigInteger) result.get(0).getValue();
    }

    /** Sends one JSON-RPC request: transport trouble and JSON-RPC errors are told apart (as Teku's Web3JClient). */
    private static <T extends Response<?>> T send(String method, Request<?, T> request) {
        T response;
        try {
            response = request.send();
        } catch (IOException | ClientConnectionException e) {
            throw new ChainUnavailableException(method + ": the chain's node did not answer: " + e.getMessage(), e);
        }
        if (response.hasError()) {
            throw new ChainRpcException(method, response.getError().getCode(), response.getError().getMessage()
                    + (response.getError().getData() == null ? "" : " " + response.getError().getData()));
        }
        return response;
    }
}
